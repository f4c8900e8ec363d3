import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    static func adminToken(_ row: Row) -> AdminToken {
        AdminToken(id: row["id"], name: row["name"], revoked: row["revoked"], created: UInt64(max(0, row["created"] as Int64)))
    }

    public func addAdminToken(name: String) async throws -> (admin: AdminToken, token: String) {
        let issued = IssuedToken(idPrefix: "ad-")
        let (token, hash) = (issued.token, issued.hash)
        let admin = AdminToken(id: issued.id, name: name, created: now)
        try await write { db in
            try db.execute(
                sql: "INSERT INTO admin_tokens (id, name, token_hash, created) VALUES (?, ?, ?, ?)",
                arguments: [admin.id, admin.name, hash, Int64(admin.created)])
        }
        return (admin, token)
    }

    public func adminTokens() async throws -> [AdminToken] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, revoked, created FROM admin_tokens ORDER BY id").map(Self.adminToken)
        }
    }

    public func revokeAdminToken(id: String) async throws -> AdminToken {
        try await write { db in
            try db.execute(sql: "UPDATE admin_tokens SET revoked = 1 WHERE id = ?", arguments: [id])
            guard let row = try Row.fetchOne(db, sql: "SELECT id, name, revoked, created FROM admin_tokens WHERE id = ?", arguments: [id])
            else { throw SyncError(.notFound, "there is no admin token \"\(id)\"; see tributary-hub admin-token list") }
            return Self.adminToken(row)
        }
    }

    public func authenticateAdmin(token: String) async throws -> AdminToken? {
        let hash = ReplicaStore.sha256Hex(token.utf8)
        let found = try await read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, revoked, created FROM admin_tokens WHERE token_hash = ?", arguments: [hash])
                .map(Self.adminToken)
        }
        if let found, found.revoked {
            throw SyncError(.tokenRevoked, "admin token \(found.id) was revoked; create a new one with tributary-hub admin-token")
        }
        return found
    }
}
