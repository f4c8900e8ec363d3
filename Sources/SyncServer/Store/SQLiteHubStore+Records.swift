public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    /// Reads the records of one type in one read transaction: their place from the `records`
    /// table (kept with every merge), their merged state from `fields`. Nothing is counted or
    /// filtered by unit here; the generic reports do that over the org tree (``TypeReportBuilder``).
    public func records(ofType type: String) async throws -> [HubRecord] {
        try await read { db in
            var places: [String: RecordPlace] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT rid, scope, scope2 FROM records WHERE type = ? AND deleted = 0", arguments: [type])
            while let row = try rows.next() {
                let scope: String? = row[1]
                places[row[0]] = RecordPlace(scope: scope ?? "", scope2: row[2])
            }
            guard !places.isEmpty else { return [] }
            return try replica.records(ofType: type, db).compactMap { state in
                places[state.key.id].map { HubRecord(state: state, place: $0) }
            }
        }
    }
}
