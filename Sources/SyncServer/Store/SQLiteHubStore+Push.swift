public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func push(_ changes: [Change], from station: HubStation, context: ValidationContext) async throws -> PushResponse {
        let schema = try await currentSchema()
        var machine = PushMachine(changes: changes, station: station, schema: schema, context: context)
        let first = try machine.start()
        let answer = try await pushes.run(size: changes.count) { [machine] db in
            var machine = machine
            var step = first
            while true {
                switch step {
                case .loadFacts(let request): step = try machine.facts(try self.facts(request, db))
                case .apply(let accepted, let watch): step = machine.applied(try self.apply(accepted, watching: watch, context: context, db))
                case .record(let outcome):
                    try self.record(outcome, db)
                    step = machine.recorded()
                case .loadStates(let keys, let scope): step = machine.loaded(try self.states(of: keys, for: scope, db))
                case .done(let answer): return answer
                }
            }
        }
        health.succeeded()
        return answer
    }

    /// Reads what the push rules need (``PushMachine/FactsRequest``).
    private func facts(_ request: PushMachine.FactsRequest, _ db: Database) throws -> PushMachine.Facts {
        let bound = try Int64.fetchOne(db.cachedStatement(sql: "SELECT site FROM stations WHERE id = ?"), arguments: [request.station.id])
            .map { SiteID(rawValue: UInt64(bitPattern: $0)) }
        var inUse = false
        var owner: String?
        var acked: UInt64 = 0
        var stored: [UInt64: PushRefusal] = [:]
        if let site = request.site {
            let key = Int64(bitPattern: site.rawValue)
            if bound == nil {
                owner = try String.fetchOne(db, sql: "SELECT id FROM stations WHERE site = ?", arguments: [key])
                let station = owner != nil
                let changes = try Bool.fetchOne(db, sql: "SELECT 1 FROM site_seq WHERE site = ?", arguments: [key]) != nil
                inUse = site == siteID || station || changes
            }
            acked = try Self.ackedSeq(site, db)
            if let seqs = request.seqs, seqs.lowerBound <= acked {
                for row in try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT seq, code, message FROM hub_refusals WHERE site = ? AND seq BETWEEN ? AND ?"),
                    arguments: [key, Int64(bitPattern: seqs.lowerBound), Int64(bitPattern: min(seqs.upperBound, acked))])
                {
                    let seq = UInt64(bitPattern: row[0])
                    stored[seq] = PushRefusal(seq: seq, code: SyncErrorCode(rawValue: row[1]), message: row[2])
                }
            }
        }
        var rows = RecordRows(db: db)
        var places: [RecordKey: RecordPlace] = [:]
        for record in request.records {
            if let place = try rows.place(of: record) { places[record] = place }
        }
        var facts = PushMachine.Facts(boundSite: bound, siteInUse: inUse, acked: acked, storedRefusals: stored, places: places, tree: try Self.orgTree(db))
        facts.siteOwner = owner
        return facts
    }

    /// Merges the accepted changes and reads the places of the watched records after it.
    private func apply(_ changes: [Change], watching watch: Set<RecordKey>, context: ValidationContext, _ db: Database) throws
        -> PushMachine.Applied
    {
        let report = try replica.apply(changes, context: context, db)
        var places: [RecordKey: RecordPlace] = [:]
        for record in watch {
            if let row = try replica.recordRow(record, db) { places[record] = row.place }
        }
        return PushMachine.Applied(report: report, places: places)
    }

    /// Stores a push's outcome: site binding, refusals, moves, acknowledged seq, contact.
    private func record(_ outcome: PushMachine.Outcome, _ db: Database) throws {
        if let site = outcome.bind {
            try db.execute(sql: "UPDATE stations SET site = ? WHERE id = ?", arguments: [Int64(bitPattern: site.rawValue), outcome.station.id])
        }
        // A push of duplicates only acknowledges nothing new: their refusals are stored.
        if let (site, _) = outcome.acknowledge, !outcome.refusals.isEmpty {
            let insert = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO hub_refusals (site, seq, code, message, type, rid) VALUES (?, ?, ?, ?, ?, ?)")
            for (refusal, record) in outcome.refusals {
                try insert.execute(arguments: [
                    Int64(bitPattern: site.rawValue), Int64(bitPattern: refusal.seq), refusal.code.rawValue, refusal.message, record?.type, record?.id,
                ])
            }
        }
        if !outcome.moves.isEmpty {
            let position = try Self.lastPosition(db)
            for move in outcome.moves {
                try db.execute(
                    sql: "INSERT INTO moves (pos, type, rid, old_scope, old_scope2, new_scope, new_scope2) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        position, move.record.type, move.record.id, move.from.scope, move.from.scope2, move.to.scope, move.to.scope2,
                    ])
            }
        }
        if let (site, seq) = outcome.acknowledge {
            try db.cachedStatement(
                sql: "INSERT INTO site_seq (site, acked) VALUES (?, ?) ON CONFLICT (site) DO UPDATE SET acked = excluded.acked"
            ).execute(arguments: [Int64(bitPattern: site.rawValue), Int64(bitPattern: seq)])
        }
        try Self.touch(outcome.station, at: outcome.contact, db)
    }

    /// The hub's state of `records` as a station with `scope` sees them, and the hub's clock.
    func states(of records: Set<RecordKey>, for scope: StationScope, _ db: Database) throws -> PushMachine.States {
        PushMachine.States(records: try currentState(of: records, for: scope, db), clock: try Self.clock(db))
    }

    /// The hub's state of `records` as a station with `scope` sees it, in (type, id) order;
    /// records it does not see are left out.
    func currentState(of records: Set<RecordKey>, for scope: StationScope, _ db: Database) throws -> [SnapshotRecord] {
        try records.sorted().compactMap { key in
            guard let row = try replica.recordRow(key, db) else { return nil }
            let visibility = scope.visibility(of: row.place)
            guard visibility != .hidden else { return nil }
            return try replica.snapshotRecord(row, inclusion: visibility, db)
        }
    }

    /// The highest seq of `site` the hub holds.
    static func ackedSeq(_ site: SiteID, _ db: Database) throws -> UInt64 {
        UInt64(
            bitPattern: try Int64.fetchOne(db.cachedStatement(sql: "SELECT acked FROM site_seq WHERE site = ?"), arguments: [Int64(bitPattern: site.rawValue)])
                ?? 0)
    }

    /// The hub's clock as last saved.
    static func clock(_ db: Database) throws -> HLC {
        try Meta.clock.read(db).flatMap { HLC(hex: $0) } ?? .zero
    }

    /// The clock an answer carries (``PushMachine/answerClock(_:wallMillis:)``).
    static func answerClock(at wallMillis: UInt64, _ db: Database) throws -> HLC {
        PushMachine.answerClock(try clock(db), wallMillis: wallMillis)
    }
}

/// The places of the records a push writes, each looked up once.
private struct RecordRows {
    let db: Database
    private var select: RawStatement?

    init(db: Database) {
        self.db = db
    }

    mutating func place(of key: RecordKey) throws -> RecordPlace? {
        select = try select ?? RawStatement(db, "SELECT scope, scope2 FROM records WHERE type = ? AND rid = ?")
        let statement = select!
        let found = try statement.step { row in
            row.bind(key.type)
            row.bind(key.id)
        }
        defer { statement.reset() }
        return found ? RecordPlace(scope: statement.text(0) ?? "", scope2: statement.text(1)) : nil
    }
}
