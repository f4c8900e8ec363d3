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
            // Each record that loses an entry is marked with the entry's position, so that a
            // pull over that position sends the record's state (SPEC §10 "Compaction").
            let mark = try db.cachedStatement(
                sql: """
                    INSERT INTO compacted (type, rid, pos) VALUES (?, ?, ?)
                    ON CONFLICT (type, rid) DO UPDATE SET pos = max(pos, excluded.pos)
                    """)
            let dropped = try replica.dropLogEntries(olderThan: cutoff, db)
            for (position, record) in dropped {
                try mark.execute(arguments: [record.type, record.id, position])
            }
            let remaining = try Int.fetchOne(db, sql: "SELECT count(*) FROM log") ?? 0
            return CompactReport(droppedLogEntries: dropped.count, remainingLogEntries: remaining)
        }
    }
}
