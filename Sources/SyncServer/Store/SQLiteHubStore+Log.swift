public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    /// The hub's change feed: every log entry after `position`, in log order, at most
    /// `limit` (SPEC §10 "Change feed"). Values are as applied, personal ones included; the
    /// HTTP route withholds those.
    public func log(after position: Int64, limit: Int) async throws -> LogPage {
        try await read { db in
            let last = try Self.lastPosition(db)
            guard position >= 0, position <= last else {
                throw SyncError(.badCursor, "position \(position) was never issued by this hub (its log ends at \(last)); start from 0")
            }
            let entries = try Row.fetchAll(
                db, sql: "SELECT \(ReplicaStore.logColumns) FROM log WHERE pos > ? ORDER BY pos LIMIT ?",
                arguments: [position, max(0, limit)]
            ).map { row in
                let logged = replica.change(row)
                return LogEntry(position: logged.position, change: logged.change)
            }
            let cursor = entries.last?.position ?? position
            let more = try Bool.fetchOne(db, sql: "SELECT 1 FROM log WHERE pos > ? LIMIT 1", arguments: [cursor]) != nil
            return LogPage(entries: entries, cursor: cursor, more: more)
        }
    }
}
