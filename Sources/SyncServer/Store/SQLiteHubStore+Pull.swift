public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func pull(for station: HubStation, after cursor: Int64, limit: Int) async throws -> PullResponse {
        let contact = now
        let response = try await read { db in
            try self.refreshSchema(db)
            let schema = self.schema
            var machine = PullMachine(station: station, cursor: cursor, limit: limit, wallMillis: contact)
            var step = machine.start()
            while true {
                switch step {
                case .begin: step = try machine.begun(try self.begin(db))
                case .scan(let after, let batch, let filter): step = machine.scanned(try self.scan(after: after, batch: batch, filter: filter, db), schema: schema)
                case .marks(let from, let to, let take): step = machine.marked(try self.marks(from: from, to: to, take: take, db), take: take)
                case .moves(let from, let to): step = machine.moved(try self.moves(from: from, to: to, db))
                case .loadStates(let records): step = machine.loaded(try self.states(of: records, db))
                case .done(var answer):
                    answer.schemaVersion = schema.version
                    return answer
                }
            }
        }
        try await touchIfStale(station, at: contact)
        return response
    }

    /// Where the log stands (``PullMachine/Begin``).
    func begin(_ db: Database) throws -> PullMachine.Begin {
        PullMachine.Begin(lastPosition: try Self.lastPosition(db), tree: try Self.orgTree(db), clock: try Self.clock(db), epoch: try HubEpoch.read(db))
    }

    /// Reads up to `batch` log entries after `after`, decoding only those `filter` keeps.
    private func scan(after: Int64, batch: Int, filter: PullFilter, _ db: Database) throws -> PullMachine.Scanned {
        let statement = try RawStatement(
            db,
            """
            SELECT l.pos, l.site, l.seq, l.hlc, l.type, l.rid, l.scope, l.field, l.elem, l.value, l.bases, r.scope, r.scope2
            FROM log l LEFT JOIN records r ON r.type = l.type AND r.rid = l.rid
            WHERE l.pos > ? ORDER BY l.pos LIMIT ?
            """)
        var scanned = PullMachine.Scanned(entries: [], read: 0, last: after)
        var more = try statement.step { row in
            row.bind(after)
            row.bind(Int64(batch))
        }
        defer { statement.reset() }
        while more {
            scanned.read += 1
            scanned.last = statement.int64(0)
            let place = statement.text(11).map { RecordPlace(scope: $0, scope2: statement.text(12)) }
            let site = SiteID(rawValue: UInt64(bitPattern: statement.int64(1)))
            if filter.keeps(site: site, type: statement.text(4) ?? "", field: statement.text(7) ?? "", place: place, schema: schema) {
                scanned.entries.append(PullMachine.Entry(position: scanned.last, change: replica.change(statement).change))
            }
            more = try statement.next()
        }
        return scanned
    }

    /// The compaction marks in `(from, to]`, in position order, at most `take + 1` of them
    /// (one more than taken tells the machine the page must end early).
    private func marks(from: Int64, to: Int64, take: Int, _ db: Database) throws -> [PullMachine.Mark] {
        guard to > from else { return [] }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT c.type, c.rid, c.pos, r.scope, r.scope2 FROM compacted c
                LEFT JOIN records r ON r.type = c.type AND r.rid = c.rid
                WHERE c.pos > ? AND c.pos <= ? ORDER BY c.pos LIMIT ?
                """,
            arguments: [from, to, take + 1]
        ).map { row in
            let scope: String? = row[3]
            return PullMachine.Mark(record: RecordKey(type: row[0], id: row[1]), position: row[2], place: scope.map { RecordPlace(scope: $0, scope2: row[4]) })
        }
    }

    /// The records moved in `(from, to]`: their place before their first move there, and now.
    private func moves(from: Int64, to: Int64, _ db: Database) throws -> [PullMachine.Moved] {
        guard to > from else { return [] }
        var first: [RecordKey: RecordPlace] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT type, rid, old_scope, old_scope2 FROM moves WHERE pos > ? AND pos <= ? ORDER BY pos, rowid",
            arguments: [from, to])
        {
            let key = RecordKey(type: row[0], id: row[1])
            if first[key] == nil { first[key] = RecordPlace(scope: row[2], scope2: row[3]) }
        }
        return try first.map { key, before in
            PullMachine.Moved(record: key, before: before, now: try replica.recordRow(key, db)?.place)
        }
    }

    /// The hub's state of each record, as its visibility says.
    func states(of records: [RecordKey: Visibility], _ db: Database) throws -> [SnapshotRecord] {
        try records.sorted { $0.key < $1.key }.compactMap { key, visibility in
            guard let row = try replica.recordRow(key, db) else { return nil }
            return try replica.snapshotRecord(row, inclusion: visibility, db)
        }
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
