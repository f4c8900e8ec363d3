import SyncBundle
import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    static let stationColumns = """
        s.id, s.name, s.org, s.site, s.revoked, s.created, s.last_contact,
        coalesce((SELECT acked FROM site_seq WHERE site = s.site), 0),
        (SELECT count(*) FROM hub_refusals WHERE site = s.site)
        """

    static func station(_ row: Row) -> HubStation {
        HubStation(
            id: row[0], name: row[1], org: row[2], site: (row[3] as Int64?).map { SiteID(rawValue: UInt64(bitPattern: $0)) },
            revoked: row[4], created: UInt64(max(0, row[5] as Int64)),
            lastContact: (row[6] as Int64?).map { UInt64(max(0, $0)) }, acked: UInt64(bitPattern: row[7]), refusals: row[8])
    }

    public func authenticate(token: String) async throws -> HubStation {
        let hash = ReplicaStore.sha256Hex(token.utf8)
        let found = try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.stationColumns) FROM stations s WHERE token_hash = ?", arguments: [hash])
                .map(Self.station)
        }
        guard let station = found else {
            if let retired = try await read({ db in try Self.retiredStation(column: "token_hash", hash, db) }) {
                throw StationAccessRefusal.replaced(retired)
            }
            throw SyncError(.unauthorized, "the token is not known to this hub; ask the county for a station token")
        }
        guard !station.revoked else { throw StationAccessRefusal.revoked(station.id) }
        return station
    }

    /// The station whose retired token (or bundle key) is `value` in `column`.
    static func retiredStation(column: String, _ value: String, _ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT station FROM retired_station_tokens WHERE \(column) = ?", arguments: [value])
    }

    public func addStation(name: String, org: String) async throws -> (station: HubStation, token: String) {
        let issued = IssuedToken(idPrefix: "st-")
        let (token, id, hash) = (issued.token, issued.id, issued.hash)
        let bundleKey = BundleKeys.stationPublicKey(token: token)
        let created = now
        let station = try await write { db -> HubStation in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM org_units WHERE id = ?", arguments: [org]) != nil else {
                throw SyncError(.notFound, "there is no org unit \"\(org)\"; import the org tree first (tributary-hub org import)")
            }
            try db.execute(
                sql: "INSERT INTO stations (id, name, org, token_hash, bundle_key, created) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, name, org, hash, bundleKey, Int64(created)])
            return HubStation(id: id, name: name, org: org, created: created)
        }
        return (station, token)
    }

    public func stations() async throws -> [HubStation] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.stationColumns) FROM stations s ORDER BY s.id").map(Self.station)
        }
    }

    public func revokeStation(id: String) async throws -> HubStation {
        try await write { db in
            try db.execute(sql: "UPDATE stations SET revoked = 1 WHERE id = ?", arguments: [id])
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.stationColumns) FROM stations s WHERE id = ?", arguments: [id]) else {
                throw SyncError(.notFound, "there is no station \"\(id)\"; see tributary-hub station list")
            }
            return Self.station(row)
        }
    }

    public func rotateStation(id: String) async throws -> (station: HubStation, token: String) {
        let issued = IssuedToken(idPrefix: "st-")
        let bundleKey = BundleKeys.stationPublicKey(token: issued.token)
        let retired = now
        let station = try await write { db -> HubStation in
            guard let old = try Row.fetchOne(db, sql: "SELECT token_hash, bundle_key FROM stations WHERE id = ?", arguments: [id]) else {
                throw SyncError(.notFound, "there is no station \"\(id.prefix(40))\"; see tributary-hub station list")
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO retired_station_tokens (token_hash, bundle_key, station, retired) VALUES (?, ?, ?, ?)",
                arguments: [old[0] as String, old[1] as String?, id, Int64(retired)])
            try db.execute(
                sql: "UPDATE stations SET token_hash = ?, bundle_key = ?, revoked = 0 WHERE id = ?", arguments: [issued.hash, bundleKey, id])
            let row = try Row.fetchOne(db, sql: "SELECT \(Self.stationColumns) FROM stations s WHERE id = ?", arguments: [id])
            return Self.station(row!)
        }
        return (station, issued.token)
    }

    /// Notes that a station was in contact.
    static func touch(_ station: HubStation, at millis: UInt64, _ db: Database) throws {
        try db.execute(sql: "UPDATE stations SET last_contact = ? WHERE id = ?", arguments: [Int64(millis), station.id])
    }
}
