public import SyncModel
import PostgresNIO

extension PostgresHubStore {
    public func epoch() async throws -> String? {
        try await read { tx in try await tx.rows("SELECT value FROM meta WHERE key = 'log_epoch'").first.map { try $0.decode(String.self) } }
    }

    /// Gives the hub a new log epoch (SPEC §14): run after the database was restored from a
    /// dump (`pg_restore`), so that stations re-push what the hub lost and pull again from
    /// the start. Returns the new epoch.
    public func renewEpoch() async throws -> String {
        let epoch = HubEpoch.random()
        let restoredAt = now
        try await write { tx in
            try await tx.execute(
                """
                INSERT INTO meta (key, value) VALUES ('log_epoch', \(epoch)), ('restored_at', \(String(restoredAt)))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """)
        }
        return epoch
    }

    public func bundleStation(publicKey: String) async throws -> BundleStation? {
        try await read { tx in
            if let found = try await Self.bundleStation(where: "s.bundle_key = $1", publicKey, tx) { return found }
            if let retired = try await Self.retiredStation(bundleKey: publicKey, tx) {
                throw StationAccessRefusal.replacedBundleKey(retired)
            }
            return nil
        }
    }

    public func bundleStation(id: String) async throws -> BundleStation {
        let found = try await read { tx in try await Self.bundleStation(where: "s.id = $1", id, tx) }
        guard let found else {
            throw SyncError(.notFound, "there is no station \"\(id.prefix(40))\"; see tributary-hub station list")
        }
        return found
    }

    private static func bundleStation(where condition: String, _ argument: String, _ tx: PostgresTransaction) async throws -> BundleStation? {
        var binds = PostgresBindings()
        binds.append(argument)
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT \(stationColumns), s.token_hash, s.bundle_key, b.cursor, b.epoch, b.station
                FROM stations s LEFT JOIN bundle_cursors b ON b.station = s.id WHERE \(condition)
                """,
            binds: binds)
        guard let row = try await tx.rows(query).first else { return nil }
        let columns = row.makeRandomAccess()
        return BundleStation(
            station: try station(row), tokenHash: try columns[9].decode(String.self), publicKey: try columns[10].decode(String?.self),
            cursor: try columns[11].decode(Int64?.self), cursorEpoch: try columns[12].decode(String?.self),
            reported: try columns[13].decode(String?.self) != nil)
    }

    public func recordBundleCursor(station: String, cursor: Int64?, epoch: String?) async throws {
        let now = self.now
        try await write { tx in
            try await tx.execute(
                """
                INSERT INTO bundle_cursors (station, epoch, cursor, imported) VALUES (\(station), \(epoch), \(cursor), \(Int64(now)))
                ON CONFLICT (station) DO UPDATE SET epoch = excluded.epoch, cursor = excluded.cursor, imported = excluded.imported
                """)
        }
    }

    public func refusals(of station: HubStation) async throws -> StationRefusals {
        guard let site = station.site else { return StationRefusals(refusals: [], records: []) }
        let schema = self.schema
        return try await read { tx in
            var refusals: [PushRefusal] = []
            var keys: Set<RecordKey> = []
            for row in try await tx.rows(
                "SELECT seq, code, message, type, rid FROM hub_refusals WHERE site = \(Int64(bitPattern: site.rawValue)) ORDER BY seq")
            {
                let (seq, code, message, type, rid) = try row.decode((Int64, String, String, String?, String?).self)
                refusals.append(PushRefusal(seq: UInt64(bitPattern: seq), code: SyncErrorCode(rawValue: code), message: message))
                if let type, let rid { keys.insert(RecordKey(type: type, id: rid)) }
            }
            let scope = try await Self.orgTree(tx).scope(of: station.org)
            return StationRefusals(refusals: refusals, records: try await Self.currentState(of: keys, for: scope, schema: schema, tx))
        }
    }
}
