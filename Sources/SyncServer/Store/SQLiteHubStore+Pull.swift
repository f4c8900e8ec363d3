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
            var positions: [Int64] = []
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
                        // Changes follow their record's place now (SPEC §10 "Pull"): a change
                        // of a record the station sees, its personal fields only when it owns it.
                        let visibility = scope.visibility(of: RecordPlace(scope: recordScope, scope2: statement.text(12)))
                        let sent = switch visibility {
                            case .hidden: false
                            case .whole: true
                            case .withoutPersonal: schema.field(statement.text(7) ?? "", of: statement.text(4) ?? "")?.personal != true
                            }
                        if sent {
                            changes.append(replica.change(statement).change)
                            positions.append(examined)
                            if changes.count >= limit { break scan }
                        }
                    }
                    more = try statement.next()
                }
                if rows < limit {
                    // The log ends here: every position up to the last one issued is examined
                    // (compaction may have dropped the last entries).
                    examined = max(examined, last)
                    break
                }
                if count >= maxExamined { break }
            }
            statement.reset()
            var compacted = try compactedRecords(in: cursor, examined, budget: limit - changes.count, db)
            if let cut = compacted.cut {
                // The page is full before `examined`: it ends at the last item it holds.
                let kept = positions.prefix { $0 <= cut }.count
                changes.removeSubrange(kept...)
                examined = cut
            }
            let moves = try moved(in: cursor, examined, scope: scope, db)
            var records = moves.records
            let moved = Set(records.map { RecordKey(type: $0.type, id: $0.id) })
            compacted.records.removeAll { moved.contains($0) }
            for key in compacted.records {
                guard let row = try replica.recordRow(key, db) else { continue }
                let visibility = scope.visibility(of: row.place)
                if visibility != .hidden, let record = try replica.snapshotRecord(row, inclusion: visibility, db) { records.append(record) }
            }
            let more = examined < last
            return PullResponse(
                changes: changes, records: records, removed: moves.removed, redacted: moves.redacted, cursor: examined, more: more,
                hubClock: try Self.answerClock(at: contact, db), epoch: try HubEpoch.read(db))
        }
        try await touchIfStale(station, at: contact)
        return response
    }

    /// What moves logged in `(from, to]` mean for a station with `scope`: each record is
    /// judged by how it reached the station before its first such move and how it reaches it
    /// now (``ScopeRule/moveEffect(from:to:)``).
    private func moved(in from: Int64, _ to: Int64, scope: StationScope, _ db: Database) throws
        -> (records: [SnapshotRecord], removed: [RecordKey], redacted: [RecordKey])
    {
        var result: (records: [SnapshotRecord], removed: [RecordKey], redacted: [RecordKey]) = ([], [], [])
        guard to > from else { return result }
        var first: [RecordKey: RecordPlace] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT type, rid, old_scope, old_scope2 FROM moves WHERE pos > ? AND pos <= ? ORDER BY pos, rowid",
            arguments: [from, to])
        {
            let key = RecordKey(type: row[0], id: row[1])
            if first[key] == nil { first[key] = RecordPlace(scope: row[2], scope2: row[3]) }
        }
        for key in first.keys.sorted() {
            guard let old = first[key], let current = try replica.recordRow(key, db) else { continue }
            let now = scope.visibility(of: current.place)
            switch ScopeRule.moveEffect(from: scope.visibility(of: old), to: now) {
            case .none: break
            case .remove: result.removed.append(key)
            case .redact: result.redacted.append(key)
            case .install(let visibility):
                if let record = try replica.snapshotRecord(current, inclusion: visibility, db) { result.records.append(record) }
            }
        }
        return result
    }

    /// Records that lost log entries to compaction at positions in `(from, to]`, in position
    /// order: a pull over those positions sends their state instead of the dropped entries
    /// (SPEC §10 "Compaction"). When more than `budget` of them (at least one) fall in the
    /// range, only the first ones are kept and `cut` is the position where the page must end.
    private func compactedRecords(in from: Int64, _ to: Int64, budget: Int, _ db: Database) throws
        -> (records: [RecordKey], cut: Int64?)
    {
        guard to > from else { return ([], nil) }
        let take = max(1, budget)
        let rows = try Row.fetchAll(
            db, sql: "SELECT type, rid, pos FROM compacted WHERE pos > ? AND pos <= ? ORDER BY pos LIMIT ?",
            arguments: [from, to, take + 1])
        let records = rows.prefix(take).map { RecordKey(type: $0[0], id: $0[1]) }
        return (records, rows.count > take ? rows[take - 1][2] as Int64 : nil)
    }

    /// How a record goes to a station with `scope`.
    static func inclusion(_ row: RecordRow, _ scope: StationScope) -> Visibility {
        scope.visibility(of: row.place)
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
