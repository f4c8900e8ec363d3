public import SyncModel
import SyncStore
import PostgresNIO

extension PostgresHubStore {
    public func pull(for station: HubStation, after cursor: Int64, limit: Int) async throws -> PullResponse {
        let contact = now
        let response = try await read { tx in
            let schema = try await self.refreshSchema(tx)
            var machine = PullMachine(station: station, cursor: cursor, limit: limit, wallMillis: contact)
            var step = machine.start()
            while true {
                switch step {
                case .begin: step = try machine.begun(try await Self.begin(tx))
                case .scan(let after, let batch, let filter):
                    step = machine.scanned(try await Self.scan(after: after, batch: batch, filter: filter, schema: schema, tx), schema: schema)
                case .marks(let from, let to, let take): step = machine.marked(try await Self.marks(from: from, to: to, take: take, tx), take: take)
                case .moves(let from, let to): step = machine.moved(try await Self.moves(from: from, to: to, tx))
                case .loadStates(let records): step = machine.loaded(try await Self.states(of: records, schema: schema, tx))
                case .done(var answer):
                    answer.schemaVersion = schema.version
                    return answer
                }
            }
        }
        try await touchIfStale(station, at: contact)
        return response
    }

    /// Reads up to `batch` log entries after `after`, decoding only those `filter` keeps.
    static func scan(after: Int64, batch: Int, filter: PullFilter, schema: Schema, _ tx: PostgresTransaction) async throws -> PullMachine.Scanned {
        var scanned = PullMachine.Scanned(entries: [], read: 0, last: after)
        for row in try await tx.rows(
            """
            SELECT b.first + l.off, l.site, l.type, l.field, r.scope, r.scope2, l.seq, l.hlc, l.rid, l.scope, l.elem, l.value, l.bases
            FROM \(unescaped: PostgresValues.numberedLog) LEFT JOIN records r ON r.type = l.type AND r.rid = l.rid
            WHERE b.last > \(after) AND l.off > \(after) - b.first ORDER BY b.last, l.off LIMIT \(Int64(batch))
            """)
        {
            scanned.read += 1
            let (pos, site, type, field, scope, scope2) = try row.decode((Int64, Int64, String, String, String?, String?).self)
            scanned.last = pos
            let origin = SiteID(rawValue: UInt64(bitPattern: site))
            let place = scope.map { RecordPlace(scope: $0, scope2: scope2) }
            guard filter.keeps(site: origin, type: type, field: field, place: place, schema: schema) else { continue }
            let columns = row.makeRandomAccess()
            let seq = try columns[6].decode(Int64.self), hlc = try columns[7].decode(Int64.self)
            let rid = try columns[8].decode(String.self), changeScope = try columns[9].decode(String.self)
            let elem = try columns[10].decode(String.self), value = try columns[11].decode(String.self), bases = try columns[12].decode(String.self)
            let element = elem.isEmpty ? nil : elem
            let change = Change(
                site: origin, seq: UInt64(bitPattern: seq), hlc: HLC(rawValue: UInt64(bitPattern: hlc)), type: type, id: rid, scope: changeScope,
                field: field, element: element, value: PostgresValues.value(value, kind: element == nil ? schema.field(field, of: type)?.kind : nil),
                bases: PostgresValues.bases(bases))
            scanned.entries.append(PullMachine.Entry(position: pos, change: change))
        }
        return scanned
    }

    /// The compaction marks in `(from, to]`, at most `take + 1` of them.
    static func marks(from: Int64, to: Int64, take: Int, _ tx: PostgresTransaction) async throws -> [PullMachine.Mark] {
        guard to > from else { return [] }
        return try await tx.rows(
            """
            SELECT c.type, c.rid, c.pos, r.scope, r.scope2 FROM compacted c
            LEFT JOIN records r ON r.type = c.type AND r.rid = c.rid
            WHERE c.pos > \(from) AND c.pos <= \(to) ORDER BY c.pos LIMIT \(Int64(take + 1))
            """
        ).map { row in
            let (type, rid, pos, scope, scope2) = try row.decode((String, String, Int64, String?, String?).self)
            return PullMachine.Mark(record: RecordKey(type: type, id: rid), position: pos, place: scope.map { RecordPlace(scope: $0, scope2: scope2) })
        }
    }

    /// The records moved in `(from, to]`: their place before their first move there, and now.
    static func moves(from: Int64, to: Int64, _ tx: PostgresTransaction) async throws -> [PullMachine.Moved] {
        guard to > from else { return [] }
        var first: [RecordKey: RecordPlace] = [:]
        for row in try await tx.rows("SELECT type, rid, old_scope, old_scope2 FROM moves WHERE pos > \(from) AND pos <= \(to) ORDER BY pos, id") {
            let (type, rid, scope, scope2) = try row.decode((String, String, String, String?).self)
            let key = RecordKey(type: type, id: rid)
            if first[key] == nil { first[key] = RecordPlace(scope: scope, scope2: scope2) }
        }
        let now = try await recordRows(first.keys, tx)
        return first.map { key, before in PullMachine.Moved(record: key, before: before, now: now[key]?.place) }
    }

    /// Notes a station's contact on reads at most once a minute; a failure to note it does not
    /// fail the read (SPEC §16).
    func touchIfStale(_ station: HubStation, at millis: UInt64) async throws {
        guard millis > (station.lastContact ?? 0) + 60_000 else { return }
        do {
            try await write { tx in try await Self.touch(station.id, at: millis, tx) }
        } catch let error as SyncError where StoreError.isDiskFault(error) || error.code == .unavailable {
            return
        }
    }

    public func log(after position: Int64, limit: Int) async throws -> LogPage {
        let schema = self.schema
        return try await read { tx in
            let last = try await Self.begin(tx).lastPosition
            guard position >= 0, position <= last else {
                throw SyncError(.badCursor, "position \(position) was never issued by this hub (its log ends at \(last)); start from 0")
            }
            let entries = try await tx.rows(
                """
                SELECT \(unescaped: PostgresValues.logColumns) FROM \(unescaped: PostgresValues.numberedLog)
                WHERE b.last > \(position) AND l.off > \(position) - b.first ORDER BY b.last, l.off LIMIT \(Int64(max(0, limit)))
                """
            ).map { row in
                let (position, change) = try PostgresValues.change(row, schema: schema)
                return LogEntry(position: position, change: change)
            }
            let cursor = entries.last?.position ?? position
            let more = try await tx.rows("SELECT 1 FROM \(unescaped: PostgresValues.numberedLog) WHERE b.last > \(cursor) AND l.off > \(cursor) - b.first LIMIT 1").first != nil
            return LogPage(entries: entries, cursor: cursor, more: more)
        }
    }
}
