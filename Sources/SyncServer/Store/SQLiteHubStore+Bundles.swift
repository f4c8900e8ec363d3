public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func epoch() async throws -> String? {
        try await read { db in try HubEpoch.read(db) }
    }

    public func bundleStation(publicKey: String) async throws -> BundleStation? {
        try await read { db in
            if let found = try Self.bundleStation(where: "s.bundle_key = ?", publicKey, db) { return found }
            if let retired = try Self.retiredStation(column: "bundle_key", publicKey, db) {
                throw StationAccessRefusal.replacedBundleKey(retired)
            }
            return nil
        }
    }

    public func bundleStation(id: String) async throws -> BundleStation {
        let found = try await read { db in try Self.bundleStation(where: "s.id = ?", id, db) }
        guard let found else {
            throw SyncError(.notFound, "there is no station \"\(id.prefix(40))\"; see tributary-hub station list")
        }
        return found
    }

    private static func bundleStation(where condition: String, _ argument: String, _ db: Database) throws -> BundleStation? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(stationColumns), s.token_hash, s.bundle_key, b.cursor, b.epoch, b.station
                    FROM stations s LEFT JOIN bundle_cursors b ON b.station = s.id WHERE \(condition)
                    """,
                arguments: [argument])
        else { return nil }
        return BundleStation(
            station: station(row), tokenHash: row[9], publicKey: row[10], cursor: row[11], cursorEpoch: row[12],
            reported: (row[13] as String?) != nil)
    }

    public func recordBundleCursor(station: String, cursor: Int64?, epoch: String?) async throws {
        let now = self.now
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO bundle_cursors (station, epoch, cursor, imported) VALUES (?, ?, ?, ?)
                    ON CONFLICT (station) DO UPDATE SET epoch = excluded.epoch, cursor = excluded.cursor, imported = excluded.imported
                    """,
                arguments: [station, epoch, cursor, Int64(now)])
        }
    }

    public func refusals(of station: HubStation) async throws -> StationRefusals {
        guard let site = station.site else { return StationRefusals(refusals: [], records: []) }
        return try await read { db in
            var refusals: [PushRefusal] = []
            var keys: Set<RecordKey> = []
            for row in try Row.fetchAll(
                db, sql: "SELECT seq, code, message, type, rid FROM hub_refusals WHERE site = ? ORDER BY seq",
                arguments: [Int64(bitPattern: site.rawValue)])
            {
                refusals.append(PushRefusal(seq: UInt64(bitPattern: row[0]), code: SyncErrorCode(rawValue: row[1]), message: row[2]))
                if let type: String = row[3], let id: String = row[4] { keys.insert(RecordKey(type: type, id: id)) }
            }
            let scope = try Self.scope(of: station.org, db)
            return StationRefusals(refusals: refusals, records: try currentState(of: keys, for: scope, db))
        }
    }
}
