public import SyncModel
import SyncStore
import PostgresNIO

/// Dashboard sessions in the hub database, shared by every hub process: a session opened
/// through one process is honoured by the others, and a restart signs nobody out. Kept as the
/// SHA-256 of its id and of the token it was opened with, as in the SQLite store.
extension PostgresHubStore {
    public func openSession(token: String, lifetimeMillis: UInt64, maxPerToken: Int) async throws -> String {
        let id = IssuedToken.randomHex(bytes: 32)
        let (idHash, tokenHash) = (ReplicaStore.sha256Hex(id.utf8), ReplicaStore.sha256Hex(token.utf8))
        let now = Int64(self.now)
        let expires = now + Int64(lifetimeMillis)
        try await write { tx in
            try await tx.execute("DELETE FROM dashboard_sessions WHERE expires <= \(now)")
            try await tx.execute(
                "INSERT INTO dashboard_sessions (id_hash, token_hash, created, expires) VALUES (\(idHash), \(tokenHash), \(now), \(expires))")
            // The newest `maxPerToken` sessions of this token stay; older ones end.
            try await tx.execute(
                """
                DELETE FROM dashboard_sessions WHERE token_hash = \(tokenHash) AND n NOT IN
                    (SELECT n FROM dashboard_sessions WHERE token_hash = \(tokenHash) ORDER BY n DESC LIMIT \(Int64(max(1, maxPerToken))))
                """)
        }
        return id
    }

    public func session(id: String) async throws -> ReportViewer? {
        let idHash = ReplicaStore.sha256Hex(id.utf8)
        let now = Int64(self.now)
        let found = try await read { tx -> (admin: AdminToken?, station: HubStation?)? in
            guard
                let tokenHash = try await tx.rows("SELECT token_hash FROM dashboard_sessions WHERE id_hash = \(idHash) AND expires > \(now)")
                    .first?.decode(String.self)
            else { return nil }
            let admin = try await tx.rows("SELECT id, name, revoked, created FROM admin_tokens WHERE token_hash = \(tokenHash)")
                .first.map(Self.adminToken)
            let station = try await tx.rows("SELECT \(unescaped: Self.stationColumns) FROM stations s WHERE token_hash = \(tokenHash)")
                .first.map(Self.station)
            return (admin, station)
        }
        guard let found else { return nil }
        return try ReportViewer.ofSession(admin: found.admin, station: found.station)
    }

    public func closeSession(id: String) async throws {
        let idHash = ReplicaStore.sha256Hex(id.utf8)
        try await write { tx in try await tx.execute("DELETE FROM dashboard_sessions WHERE id_hash = \(idHash)") }
    }

    /// PostgreSQL reports no disk fault ahead of a write: a write that fails is answered
    /// `unavailable` (the server's own monitoring watches its disk), so `/healthz` reports none.
    public func writeProblem() async -> SyncError? { nil }
}
