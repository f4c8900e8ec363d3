import GRDB
import SyncModel
import SyncStore

extension WritePlanner {
    /// Refuses edits the hub would refuse for scope, with the hub's own rule and sentence
    /// (``ScopeRule/writeRefusal(_:place:scope:schema:)``), judged on this replica's org tree
    /// and on where the record lies in this replica.
    func checkScope(_ edits: [LocalEdit]) throws {
        var places: [RecordKey: RecordPlace?] = [:]
        for edit in edits {
            let record = edit.key.record
            if places[record] == nil {
                places[record] = .some(try store.recordRow(record, db)?.place)
            }
            let probe = Change(
                site: store.siteID, seq: 1, hlc: .zero, type: edit.key.type, id: edit.key.id, scope: edit.scope,
                field: edit.key.field, element: edit.key.element, value: edit.value)
            if let error = ScopeRule.writeRefusal(probe, place: places[record] ?? nil, scope: scope, schema: schema) {
                throw error
            }
        }
    }
}

extension ReplicaStore {
    /// The scope of a station bound to `org`, from the org-unit records this replica holds.
    /// Before its first sync a station holds none of them: it then writes in its own unit only.
    func stationScope(of org: String, _ db: Database) throws -> StationScope {
        let scope = try orgTree(db).scope(of: org)
        return scope.subtree.isEmpty ? StationScope(unit: org, subtree: [org], ancestors: []) : scope
    }
}
