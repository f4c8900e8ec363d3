public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func recordDigests(for station: HubStation?) async throws -> [RecordDigest] {
        try await read { db in
            let scope = try station.map { try Self.scope(of: $0.org, db) }
            // The inclusion rule of the view's digest, snapshot and pull (SPEC §10 Scope).
            return try replica.scopedRecordDigests(include: { row in scope.map { Self.inclusion(row, $0) } ?? .whole }, db)
        }
    }
}
