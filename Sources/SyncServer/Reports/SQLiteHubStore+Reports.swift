import SyncModel

extension SQLiteHubStore {
    public func report(_ report: HubReport, query: ReportQuery) async throws -> ReportTable {
        try query.validate()
        let schema = self.schema
        let nowMillis = now
        return try await read { db in
            let org = try OrgIndex(db, org: query.org)
            return try ReportBuilder(db: db, schema: schema, org: org, query: query, nowMillis: nowMillis).build(report)
        }
    }
}
