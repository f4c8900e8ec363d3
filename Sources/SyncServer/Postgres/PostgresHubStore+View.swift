public import SyncModel
import SyncStore
import PostgresNIO

extension PostgresHubStore {
    public func snapshot(for station: HubStation, token: SnapshotToken?, limit: Int) async throws -> SnapshotPage {
        let contact = now
        let page = try await read { tx in
            let schema = try await self.refreshSchema(tx)
            let machine = ViewMachine.snapshot(for: station, token: token, limit: limit)
            var page = machine.page(try await Self.readView(machine, schema: schema, tx) { _ in }, token: token, wallMillis: contact)
            page.schemaVersion = schema.version
            return page
        }
        try await touchIfStale(station, at: contact)
        return page
    }

    public func digest(for station: HubStation?) async throws -> DigestResponse {
        let schema = self.schema
        return try await read { tx in
            let digest = DigestBox(ViewDigest(schema: schema))
            let view = try await Self.readView(.digest(for: station), schema: schema, tx) { digest.value.add($0) }
            let (hex, count) = digest.value.finish()
            return DigestResponse(digest: hex, records: count, cursor: view.begin.lastPosition)
        }
    }

    public func recordDigests(for station: HubStation?) async throws -> [RecordDigest] {
        let schema = self.schema
        return try await read { tx in
            let digest = DigestBox(ViewDigest(schema: schema, perRecord: true))
            _ = try await Self.readView(.digest(for: station), schema: schema, tx) { digest.value.add($0) }
            return digest.value.records
        }
    }

    /// Drives a ``ViewMachine``; a digest's states go to `sink` batch by batch.
    static func readView(
        _ machine: ViewMachine, schema: Schema, _ tx: PostgresTransaction, sink: ([SnapshotRecord]) -> Void
    ) async throws -> ViewMachine.View {
        var machine = machine
        var step = machine.start()
        var tree = OrgTree()
        while true {
            switch step {
            case .begin:
                let begin = try await Self.begin(tx)
                tree = begin.tree
                step = try machine.begun(begin)
            case .rows(let after, let batch): step = machine.read(try await rows(after: after, batch: batch, tx), tree: tree)
            case .loadStates(let records):
                let states = try await Self.states(of: Dictionary(records, uniquingKeysWith: { a, _ in a }), schema: schema, tx)
                step = machine.loaded(states, digestSink: sink)
            case .done(let view): return view
            }
        }
    }

    /// Up to `batch` record rows after `after`, in (type, id) order, with their places.
    static func rows(after: RecordKey?, batch: Int, _ tx: PostgresTransaction) async throws -> [ViewMachine.Row] {
        let query: PostgresQuery
        if let after {
            query = "SELECT type, rid, scope, scope2 FROM records WHERE (type, rid) > (\(after.type), \(after.id)) ORDER BY type, rid LIMIT \(Int64(batch))"
        } else {
            query = "SELECT type, rid, scope, scope2 FROM records ORDER BY type, rid LIMIT \(Int64(batch))"
        }
        return try await tx.rows(query).map { row in
            let (type, rid, scope, scope2) = try row.decode((String, String, String, String?).self)
            return ViewMachine.Row(record: RecordKey(type: type, id: rid), place: RecordPlace(scope: scope, scope2: scope2))
        }
    }

    public func compact(retentionMillis: UInt64) async throws -> CompactReport {
        let cutoff = HLC(millis: now > retentionMillis ? now - retentionMillis : 0, counter: 0)
        return try await write { tx in
            // The head's lock first: no push publishes while entries are dropped and marked.
            try await tx.lockHead()
            var positions: [Int64] = [], types: [String] = [], ids: [String] = []
            var batches: [Int64] = [], offsets: [Int32] = []
            for row in try await tx.rows(
                """
                SELECT b.first + l.off, l.batch, l.off, l.type, l.rid, l.hlc, l.site, f.heads FROM \(unescaped: PostgresValues.numberedLog)
                JOIN fields f ON f.type = l.type AND f.rid = l.rid AND f.field = l.field AND f.elem = l.elem
                WHERE l.hlc < \(Int64(bitPattern: cutoff.rawValue)) AND NOT (f.hlc = l.hlc AND f.site = l.site)
                ORDER BY b.last, l.off
                """)
            {
                let (pos, batch, offset, type, rid, hlc, site, heads) = try row.decode((Int64, Int64, Int32, String, String, Int64, Int64, String?).self)
                // In conflict: an entry that is one of the other heads stays.
                if let heads, PostgresValues.heads(heads, kind: nil).contains(where: { $0.version == PostgresValues.version(hlc, site) }) { continue }
                positions.append(pos)
                batches.append(batch)
                offsets.append(offset)
                types.append(type)
                ids.append(rid)
            }
            if !positions.isEmpty {
                try await tx.execute("DELETE FROM log l USING unnest(\(batches), \(offsets)) AS u(b, o) WHERE l.batch = u.b AND l.off = u.o")
                // Batches left empty go too (their positions stay issued: the head never goes back).
                try await tx.execute(
                    "DELETE FROM log_batches b WHERE b.batch = ANY(\(Array(Set(batches)))) AND NOT EXISTS (SELECT 1 FROM log l WHERE l.batch = b.batch)")
                // Each record that loses an entry is marked with its last such position, so that a
                // pull over it sends the record's state (SPEC §10 "Compaction").
                try await tx.execute(
                    """
                    INSERT INTO compacted (type, rid, pos)
                    SELECT t, r, max(p) FROM unnest(\(types), \(ids), \(positions)) AS u(t, r, p) GROUP BY t, r
                    ON CONFLICT (type, rid) DO UPDATE SET pos = greatest(compacted.pos, excluded.pos)
                    """)
            }
            let remaining = try await tx.rows("SELECT count(*) FROM log").first?.decode(Int64.self) ?? 0
            return CompactReport(droppedLogEntries: positions.count, remainingLogEntries: Int(remaining))
        }
    }
}

extension PostgresTransaction {
    /// The canonical dump of every field the hub holds, record by record in canonical order.
    func dump(schema: Schema) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        var dump = CanonicalDump(schema: schema)
        var current: RecordState?
        for row in try await rows("SELECT type, rid, field, elem, hlc, site, value::text, heads FROM fields ORDER BY type, rid, field, elem") {
            let (type, rid, field, elem, hlc, site, value, heads) = try row.decode((String, String, String, String, Int64, Int64, String, String?).self)
            let key = RecordKey(type: type, id: rid)
            if current?.key != key {
                if let record = current { dump.add(record) }
                current = RecordState(key: key)
                bytes += dump.drain()
            }
            let element = elem.isEmpty ? nil : elem
            let kind = element == nil ? schema.field(field, of: type)?.kind : nil
            if let state = PostgresValues.state(hlc: hlc, site: site, value: value, heads: heads, kind: kind) {
                current!.set(state, for: FieldKey(type: type, id: rid, field: field, element: element))
            }
        }
        if let record = current { dump.add(record) }
        bytes += dump.drain()
        bytes += dump.finish()
        return bytes
    }
}

/// A digest being fed from an async loop.
final class DigestBox: @unchecked Sendable {
    var value: ViewDigest
    init(_ value: ViewDigest) { self.value = value }
}
