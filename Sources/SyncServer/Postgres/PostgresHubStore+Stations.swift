public import SyncModel
import SyncBundle
import SyncStore
import PostgresNIO

extension PostgresHubStore {
    static let stationColumns = """
        s.id, s.name, s.org, s.site, s.revoked, s.created, s.last_contact,
        coalesce((SELECT acked FROM site_seq WHERE site = s.site), 0),
        (SELECT count(*) FROM hub_refusals WHERE site = s.site)
        """

    static func station(_ row: PostgresRow) throws -> HubStation {
        let (id, name, org, site, revoked, created, lastContact, acked, refusals) =
            try row.decode((String, String, String, Int64?, Int32, Int64, Int64?, Int64, Int64).self)
        return HubStation(
            id: id, name: name, org: org, site: site.map { SiteID(rawValue: UInt64(bitPattern: $0)) }, revoked: revoked != 0,
            created: UInt64(max(0, created)), lastContact: lastContact.map { UInt64(max(0, $0)) }, acked: UInt64(bitPattern: acked),
            refusals: Int(refusals))
    }

    public func authenticate(token: String) async throws -> HubStation {
        let hash = ReplicaStore.sha256Hex(token.utf8)
        let found = try await read { tx in
            try await tx.rows("SELECT \(unescaped: Self.stationColumns) FROM stations s WHERE token_hash = \(hash)").first.map(Self.station)
        }
        guard let station = found else {
            if let retired = try await read({ tx in try await Self.retiredStation(tokenHash: hash, tx) }) {
                throw StationAccessRefusal.replaced(retired)
            }
            throw SyncError(.unauthorized, "the token is not known to this hub; ask the county for a station token")
        }
        guard !station.revoked else { throw StationAccessRefusal.revoked(station.id) }
        return station
    }

    /// The station whose token `station rotate` replaced, by the old token's hash.
    static func retiredStation(tokenHash: String, _ tx: PostgresTransaction) async throws -> String? {
        try await tx.rows("SELECT station FROM retired_station_tokens WHERE token_hash = \(tokenHash)").first?.decode(String.self)
    }

    /// The station whose token `station rotate` replaced, by the old token's bundle key.
    static func retiredStation(bundleKey: String, _ tx: PostgresTransaction) async throws -> String? {
        try await tx.rows("SELECT station FROM retired_station_tokens WHERE bundle_key = \(bundleKey) LIMIT 1").first?.decode(String.self)
    }

    public func rotateStation(id: String) async throws -> (station: HubStation, token: String) {
        let issued = IssuedToken(idPrefix: "st-")
        let bundleKey = BundleKeys.stationPublicKey(token: issued.token)
        let retired = Int64(now)
        let station = try await write { tx -> HubStation in
            guard let old = try await tx.rows("SELECT token_hash, bundle_key FROM stations WHERE id = \(id) FOR UPDATE").first else {
                throw SyncError(.notFound, "there is no station \"\(id.prefix(40))\"; see tributary-hub station list")
            }
            let (oldHash, oldKey) = try old.decode((String, String?).self)
            try await tx.execute(
                """
                INSERT INTO retired_station_tokens (token_hash, bundle_key, station, retired) VALUES (\(oldHash), \(oldKey), \(id), \(retired))
                ON CONFLICT (token_hash) DO UPDATE SET bundle_key = excluded.bundle_key, station = excluded.station, retired = excluded.retired
                """)
            try await tx.execute("UPDATE stations SET token_hash = \(issued.hash), bundle_key = \(bundleKey), revoked = 0 WHERE id = \(id)")
            let row = try await tx.rows("SELECT \(unescaped: Self.stationColumns) FROM stations s WHERE id = \(id)").first
            return try Self.station(row!)
        }
        return (station, issued.token)
    }

    public func addStation(name: String, org: String) async throws -> (station: HubStation, token: String) {
        let issued = IssuedToken(idPrefix: "st-")
        let (token, id, hash) = (issued.token, issued.id, issued.hash)
        let bundleKey = BundleKeys.stationPublicKey(token: token)
        let created = now
        let station = try await write { tx -> HubStation in
            guard try await tx.rows("SELECT 1 FROM org_units WHERE id = \(org)").first != nil else {
                throw SyncError(.notFound, "there is no org unit \"\(org)\"; import the org tree first (tributary-hub org import)")
            }
            try await tx.execute(
                "INSERT INTO stations (id, name, org, token_hash, bundle_key, created) VALUES (\(id), \(name), \(org), \(hash), \(bundleKey), \(Int64(created)))")
            return HubStation(id: id, name: name, org: org, created: created)
        }
        return (station, token)
    }

    public func stations() async throws -> [HubStation] {
        try await read { tx in
            try await tx.rows("SELECT \(unescaped: Self.stationColumns) FROM stations s ORDER BY s.id").map(Self.station)
        }
    }

    public func revokeStation(id: String) async throws -> HubStation {
        try await write { tx in
            try await tx.execute("UPDATE stations SET revoked = 1 WHERE id = \(id)")
            guard let row = try await tx.rows("SELECT \(unescaped: Self.stationColumns) FROM stations s WHERE id = \(id)").first else {
                throw SyncError(.notFound, "there is no station \"\(id)\"; see tributary-hub station list")
            }
            return try Self.station(row)
        }
    }

    // MARK: Admin tokens

    static func adminToken(_ row: PostgresRow) throws -> AdminToken {
        let (id, name, revoked, created) = try row.decode((String, String, Int32, Int64).self)
        return AdminToken(id: id, name: name, revoked: revoked != 0, created: UInt64(max(0, created)))
    }

    public func addAdminToken(name: String) async throws -> (admin: AdminToken, token: String) {
        let issued = IssuedToken(idPrefix: "ad-")
        let (token, hash) = (issued.token, issued.hash)
        let admin = AdminToken(id: issued.id, name: name, created: now)
        try await write { tx in
            try await tx.execute(
                "INSERT INTO admin_tokens (id, name, token_hash, created) VALUES (\(admin.id), \(admin.name), \(hash), \(Int64(admin.created)))")
        }
        return (admin, token)
    }

    public func adminTokens() async throws -> [AdminToken] {
        try await read { tx in try await tx.rows("SELECT id, name, revoked, created FROM admin_tokens ORDER BY id").map(Self.adminToken) }
    }

    public func revokeAdminToken(id: String) async throws -> AdminToken {
        try await write { tx in
            try await tx.execute("UPDATE admin_tokens SET revoked = 1 WHERE id = \(id)")
            guard let row = try await tx.rows("SELECT id, name, revoked, created FROM admin_tokens WHERE id = \(id)").first else {
                throw SyncError(.notFound, "there is no admin token \"\(id)\"; see tributary-hub admin-token list")
            }
            return try Self.adminToken(row)
        }
    }

    public func authenticateAdmin(token: String) async throws -> AdminToken? {
        let hash = ReplicaStore.sha256Hex(token.utf8)
        let found = try await read { tx in
            try await tx.rows("SELECT id, name, revoked, created FROM admin_tokens WHERE token_hash = \(hash)").first.map(Self.adminToken)
        }
        if let found, found.revoked {
            throw SyncError(.tokenRevoked, "admin token \(found.id) was revoked; create a new one with tributary-hub admin-token")
        }
        return found
    }
}
