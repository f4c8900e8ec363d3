public import SyncModel
import GRDB
import SyncStore

/// Dashboard sessions in the hub file, so that a restart signs nobody out. A session is kept
/// as the SHA-256 of its id (the cookie's value, never stored) and the SHA-256 of the token it
/// was opened with (looked up again on every request: revoking the token ends the session).
extension SQLiteHubStore {
    /// The `dashboard_sessions` table (migration `hub-v6-sessions`).
    static func registerSessionsMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("hub-v6-sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE dashboard_sessions (
                        id_hash TEXT NOT NULL UNIQUE,
                        token_hash TEXT NOT NULL,
                        created INTEGER NOT NULL,
                        expires INTEGER NOT NULL
                    )
                    """)
            try db.execute(sql: "CREATE INDEX dashboard_sessions_token ON dashboard_sessions (token_hash)")
            try db.execute(sql: "CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires)")
        }
    }

    public func openSession(token: String, lifetimeMillis: UInt64, maxPerToken: Int) async throws -> String {
        let id = IssuedToken.randomHex(bytes: 32)
        let (idHash, tokenHash) = (ReplicaStore.sha256Hex(id.utf8), ReplicaStore.sha256Hex(token.utf8))
        let now = self.now
        try await write { db in
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE expires <= ?", arguments: [Int64(now)])
            try db.execute(
                sql: "INSERT INTO dashboard_sessions (id_hash, token_hash, created, expires) VALUES (?, ?, ?, ?)",
                arguments: [idHash, tokenHash, Int64(now), Int64(now + lifetimeMillis)])
            // The newest `maxPerToken` sessions of this token stay; older ones end.
            try db.execute(
                sql: """
                    DELETE FROM dashboard_sessions WHERE token_hash = ?1 AND rowid NOT IN
                        (SELECT rowid FROM dashboard_sessions WHERE token_hash = ?1 ORDER BY rowid DESC LIMIT ?2)
                    """,
                arguments: [tokenHash, max(1, maxPerToken)])
        }
        return id
    }

    public func session(id: String) async throws -> ReportViewer? {
        let idHash = ReplicaStore.sha256Hex(id.utf8)
        let now = Int64(self.now)
        let found = try await read { db -> (admin: AdminToken?, station: HubStation?)? in
            guard
                let tokenHash = try String.fetchOne(
                    db, sql: "SELECT token_hash FROM dashboard_sessions WHERE id_hash = ? AND expires > ?", arguments: [idHash, now])
            else { return nil }
            let admin = try Row.fetchOne(
                db, sql: "SELECT id, name, revoked, created FROM admin_tokens WHERE token_hash = ?", arguments: [tokenHash]
            ).map(Self.adminToken)
            let station = try Row.fetchOne(
                db, sql: "SELECT \(Self.stationColumns) FROM stations s WHERE token_hash = ?", arguments: [tokenHash]
            ).map(Self.station)
            return (admin, station)
        }
        guard let found else { return nil }
        return try ReportViewer.ofSession(admin: found.admin, station: found.station)
    }

    public func closeSession(id: String) async throws {
        let idHash = ReplicaStore.sha256Hex(id.utf8)
        try await write { db in
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE id_hash = ?", arguments: [idHash])
        }
    }
}
