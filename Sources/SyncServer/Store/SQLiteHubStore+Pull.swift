public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func pull(for station: HubStation, after cursor: Int64, limit: Int) async throws -> PullResponse {
        let contact = now
        let response = try await read { db in
            let last = try Self.lastPosition(db)
            guard cursor >= 0, cursor <= last else {
                throw SyncError(.badCursor, "cursor \(cursor) was never issued by this hub (its log ends at \(last)); bootstrap from /v1/snapshot")
            }
            let scope = try Self.scope(of: station.org, db)
            let ownSite = station.site.map { Int64(bitPattern: $0.rawValue) }
            let statement = try RawStatement(
                db,
                """
                SELECT l.pos, l.site, l.seq, l.hlc, l.type, l.rid, l.scope, l.field, l.elem, l.value, l.bases, r.scope, r.scope2
                FROM log l LEFT JOIN records r ON r.type = l.type AND r.rid = l.rid
                WHERE l.pos > ? ORDER BY l.pos LIMIT ?
                """)
            var changes: [Change] = []
            changes.reserveCapacity(min(limit, 20_000))
            var examined = cursor
            let maxExamined = max(limit * 20, 100_000)
            var count = 0
            scan: while true {
                var rows = 0
                var more = try statement.step { row in
                    row.bind(examined)
                    row.bind(Int64(limit))
                }
                while more {
                    rows += 1
                    examined = statement.int64(0)
                    count += 1
                    if let ownSite, statement.int64(1) == ownSite {
                        more = try statement.next()
                        continue
                    }
                    if let recordScope = statement.text(11) {
                        let scope2 = statement.text(12)
                        let visible = scope.sees(recordScope, scope2)
                        let hidden = visible && scope.owns(recordScope, scope2) == false
                            && schema.field(statement.text(7) ?? "", of: statement.text(4) ?? "")?.personal == true
                        if visible && !hidden {
                            changes.append(replica.change(statement).change)
                            if changes.count >= limit { break scan }
                        }
                    }
                    more = try statement.next()
                }
                if rows < limit || count >= maxExamined { break }
            }
            statement.reset()
            let (records, removed) = try moved(in: cursor, examined, scope: scope, db)
            let more = try Bool.fetchOne(db, sql: "SELECT 1 FROM log WHERE pos > ? LIMIT 1", arguments: [examined]) != nil
            return PullResponse(
                changes: changes, records: records, removed: removed, cursor: examined, more: more, hubClock: try Self.clock(db),
                epoch: try HubEpoch.read(db))
        }
        try await touchIfStale(station, at: contact)
        return response
    }

    /// Records that came into or left the scope through moves logged in `(from, to]`:
    /// judged by their org units before the first such move and their units now.
    private func moved(in from: Int64, _ to: Int64, scope: StationScope, _ db: Database) throws -> ([SnapshotRecord], [RecordKey]) {
        guard to > from else { return ([], []) }
        var first: [RecordKey: (String, String?)] = [:]
        var order: [RecordKey] = []
        for row in try Row.fetchAll(
            db, sql: "SELECT type, rid, old_scope, old_scope2 FROM moves WHERE pos > ? AND pos <= ? ORDER BY pos, rowid",
            arguments: [from, to])
        {
            let key = RecordKey(type: row[0], id: row[1])
            if first[key] == nil {
                first[key] = (row[2], row[3])
                order.append(key)
            }
        }
        var records: [SnapshotRecord] = []
        var removed: [RecordKey] = []
        for key in order.sorted() {
            guard let old = first[key], let current = try replica.recordRow(key, db) else { continue }
            let before = scope.sees(old.0, old.1)
            let now = scope.sees(current.scope, current.scope2)
            if before && !now {
                removed.append(key)
            } else if !before && now,
                let record = try replica.snapshotRecord(current, inclusion: Self.inclusion(current, scope), db)
            {
                records.append(record)
            }
        }
        return (records, removed)
    }

    /// How a record goes to a station with `scope`.
    static func inclusion(_ row: RecordRow, _ scope: StationScope) -> SnapshotInclusion {
        guard scope.sees(row.scope, row.scope2) else { return .skip }
        return scope.owns(row.scope, row.scope2) ? .whole : .withoutPersonal
    }

    /// Notes a station's contact on reads at most once a minute, to keep reads off the writer.
    /// On a full disk or a read-only file the note is skipped: it is bookkeeping, and the pull
    /// or snapshot page is answered anyway (SPEC §16).
    func touchIfStale(_ station: HubStation, at millis: UInt64) async throws {
        guard millis > (station.lastContact ?? 0) + 60_000 else { return }
        do {
            try await write { db in try Self.touch(station, at: millis, db) }
        } catch let error as SyncError where StoreError.isDiskFault(error) {
            return
        }
    }
}
