public import CountyWork
public import SyncModel
public import SyncStore
import GRDB

extension Station {
    /// The merged state of a record (live or deleted), or `nil` if the replica holds none.
    ///
    /// - Throws: ``SyncError`` `unknown_type` for a type not in the schema.
    public func record(type: String, id: String) throws(SyncError) -> RecordState? {
        try checkType(type)
        return try store.record(RecordKey(type: type, id: id))
    }

    /// A live record as its typed value, or `nil` if the replica holds none or it is deleted.
    public func get<R: CountyRecord>(_ recordType: R.Type, id: String) throws(SyncError) -> R? {
        guard let state = try store.record(RecordKey(type: R.recordType, id: id)), !state.isDeleted else { return nil }
        return try R(id: id, fields: state.values.filter { $0.value != .null }, setFields: state.setValues.mapValues(Set.init))
    }

    /// Records of `type` in id order, live ones only unless `includeDeleted`.
    ///
    /// - Parameters:
    ///   - matching: field values a record must show, all of them (checked and put in
    ///     canonical form by the schema first).
    ///   - limit: the most records to return.
    public func list(
        type: String, matching: [String: FieldValue] = [:], includeDeleted: Bool = false, limit: Int = .max
    ) throws(SyncError) -> [RecordState] {
        try checkType(type)
        var canonical: [String: FieldValue] = [:]
        for (field, value) in matching {
            guard let spec = schema.field(field, of: type), spec.kind != .set, field != Schema.deletedField else {
                throw SyncError(.unknownField, "\(type) has no field \"\(field)\" to filter on")
            }
            let probe = Change(site: siteID, seq: 1, hlc: HLC(rawValue: 1), type: type, id: "x", scope: org, field: field, value: value)
            canonical[field] = try schema.validate(probe, in: ValidationContext(wallMillis: store.wallClock.nowMillis())).value
        }
        return try store.records(ofType: type, matching: canonical, includeDeleted: includeDeleted, limit: limit)
    }

    /// Every open conflict the replica holds, sorted.
    public func conflicts() throws(SyncError) -> [Conflict] {
        try store.conflicts()
    }

    /// This station's own changes, newest first, with what became of each: waiting in the
    /// outbox, acknowledged by the hub, or refused with the hub's reason.
    public func log(limit: Int = 50) throws(SyncError) -> [LoggedChange] {
        try store.read { db in
            let acked = try store.ackedSeq(db)
            let refusals = try store.refusalsByOrigin(db)
            return try Row.fetchAll(
                db, sql: "SELECT \(ReplicaStore.logColumns) FROM log WHERE site = ? ORDER BY seq DESC LIMIT ?",
                arguments: [Int64(bitPattern: siteID.rawValue), max(0, min(limit, Int(Int32.max)))]
            ).map { row in
                var logged = store.change(row)
                let seq = logged.change.seq
                logged.state = refusals[seq].map { .refused($0) } ?? (seq <= acked ? .acknowledged : .waiting)
                return logged
            }
        }
    }

    /// What the station holds and what waits: its identity, the outbox, refusals,
    /// conflicts and record counts.
    public func status() throws(SyncError) -> StationStatus {
        let settings = try settings()
        let (refused, logCount) = try store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM refusals WHERE site = ?", arguments: [Int64(bitPattern: siteID.rawValue)]) ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM log") ?? 0
            )
        }
        return StationStatus(
            path: path, siteID: siteID, settings: settings, outbox: try store.outboxCount(), refused: refused,
            conflicts: try store.conflicts().count, records: try store.recordCounts(), logCount: logCount,
            schema: "\(schema.name) v\(schema.version)")
    }

    func checkType(_ type: String) throws(SyncError) {
        _ = try schema.requireType(type)
    }
}
