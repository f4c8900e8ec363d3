public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func snapshot(for station: HubStation, token: SnapshotToken?, limit: Int) async throws -> SnapshotPage {
        let contact = now
        let page = try await read { db in
            try self.refreshSchema(db)
            let machine = ViewMachine.snapshot(for: station, token: token, limit: limit)
            var page = machine.page(try self.readView(machine, db) { _ in }, token: token, wallMillis: contact)
            page.schemaVersion = self.schema.version
            return page
        }
        try await touchIfStale(station, at: contact)
        return page
    }

    public func digest(for station: HubStation?) async throws -> DigestResponse {
        try await read { db in
            var digest = ViewDigest(schema: self.schema)
            let view = try self.readView(.digest(for: station), db) { digest.add($0) }
            let (hex, count) = digest.finish()
            return DigestResponse(digest: hex, records: count, cursor: view.begin.lastPosition)
        }
    }

    public func recordDigests(for station: HubStation?) async throws -> [RecordDigest] {
        try await read { db in
            var digest = ViewDigest(schema: self.schema, perRecord: true)
            _ = try self.readView(.digest(for: station), db) { digest.add($0) }
            return digest.records
        }
    }

    /// Drives a ``ViewMachine`` over this store; a digest's states go to `sink` batch by batch
    /// (a snapshot page's stay in the view).
    private func readView(_ machine: ViewMachine, _ db: Database, sink: ([SnapshotRecord]) -> Void) throws -> ViewMachine.View {
        var machine = machine
        var step = machine.start()
        var tree = OrgTree()
        while true {
            switch step {
            case .begin:
                let begin = try self.begin(db)
                tree = begin.tree
                step = try machine.begun(begin)
            // One process reads its own file: walking every row in key order costs little, so
            // the view's units are not used to narrow the read.
            case .rows(let after, let batch, _): step = machine.read(try rows(after: after, batch: batch, db), tree: tree)
            case .loadStates(let records):
                let states = try self.states(of: Dictionary(records, uniquingKeysWith: { a, _ in a }), db)
                step = machine.loaded(states, digestSink: sink)
            case .done(let view): return view
            }
        }
    }

    /// Up to `batch` record rows after `after`, in (type, id) order, with their places.
    private func rows(after: RecordKey?, batch: Int, _ db: Database) throws -> [ViewMachine.Row] {
        let rows: [Row]
        if let after {
            rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT type, rid, scope, scope2 FROM records WHERE (type, rid) > (?, ?) ORDER BY type, rid LIMIT ?"),
                arguments: [after.type, after.id, batch])
        } else {
            rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT type, rid, scope, scope2 FROM records ORDER BY type, rid LIMIT ?"), arguments: [batch])
        }
        return rows.map { ViewMachine.Row(record: RecordKey(type: $0[0], id: $0[1]), place: RecordPlace(scope: $0[2], scope2: $0[3])) }
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
