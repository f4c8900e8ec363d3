public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func snapshot(for station: HubStation, token: SnapshotToken?, limit: Int) async throws -> SnapshotPage {
        let contact = now
        let page = try await read { db in
            let last = try Self.lastPosition(db)
            if let token, token.cursor > last {
                throw SyncError(.badCursor, "the snapshot page token was not issued by this hub; start the snapshot again")
            }
            let cursor = token?.cursor ?? last
            let scope = try Self.scope(of: station.org, db)
            let read = try replica.snapshotRecords(after: token?.after, limit: limit, include: { Self.inclusion($0, scope) }, db)
            return SnapshotPage(
                records: read.records, next: read.next.map { SnapshotToken(cursor: cursor, after: $0).text }, cursor: cursor,
                hubClock: try Self.answerClock(at: contact, db), epoch: try HubEpoch.read(db))
        }
        try await touchIfStale(station, at: contact)
        return page
    }

    public func digest(for station: HubStation?) async throws -> DigestResponse {
        try await read { db in
            let cursor = try Self.lastPosition(db)
            let scope = try station.map { try Self.scope(of: $0.org, db) }
            let (digest, count) = try replica.scopedDigest(include: { row in scope.map { Self.inclusion(row, $0) } ?? .whole }, db)
            return DigestResponse(digest: digest, records: count, cursor: cursor)
        }
    }

    public func compact(retentionMillis: UInt64) async throws -> CompactReport {
        let cutoff = HLC(millis: now > retentionMillis ? now - retentionMillis : 0, counter: 0)
        return try await write { db in
            // A log entry may go when it is older than the retention, its field has a single
            // head (no conflict) and that head is another, newer write. Forward fields keep
            // their history: their state joins several writes.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.pos, l.type, l.field FROM log l JOIN fields f
                      ON f.type = l.type AND f.rid = l.rid AND f.field = l.field AND f.elem = coalesce(l.elem, '')
                    WHERE l.hlc < ? AND f.heads IS NULL AND NOT (f.hlc = l.hlc AND f.site = l.site)
                    """,
                arguments: [Int64(bitPattern: cutoff.rawValue)])
            let delete = try db.cachedStatement(sql: "DELETE FROM log WHERE pos = ?")
            var dropped = 0
            for row in rows {
                let type: String = row[1]
                let field: String = row[2]
                guard let policy = schema.types[type]?.effectivePolicy(of: field), policy != .forward else { continue }
                try delete.execute(arguments: [row[0] as Int64])
                dropped += 1
            }
            let remaining = try Int.fetchOne(db, sql: "SELECT count(*) FROM log") ?? 0
            return CompactReport(droppedLogEntries: dropped, remainingLogEntries: remaining)
        }
    }
}
