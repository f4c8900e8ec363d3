public import SyncModel
import PostgresNIO

extension PostgresHubStore {
    public func push(_ changes: [Change], from station: HubStation, context: ValidationContext) async throws -> PushResponse {
        let schema = try await currentSchema()
        var machine = PushMachine(changes: changes, station: station, schema: schema, context: context)
        let first = try machine.start()
        let hubSite = siteID
        return try await write { [machine] tx in
            var machine = machine
            var step = first
            while true {
                switch step {
                case .loadFacts(let request): step = try machine.facts(try await Self.facts(request, hubSite: hubSite, tx))
                case .apply(let accepted, let watch):
                    let report = try await PostgresMerge(schema: schema, tx: tx).apply(accepted, context: context)
                    var places: [RecordKey: RecordPlace] = [:]
                    for (record, row) in try await Self.recordRows(watch, tx) { places[record] = row.place }
                    step = machine.applied(PushMachine.Applied(report: report, places: places))
                case .record(let outcome):
                    try await Self.record(outcome, tx)
                    step = machine.recorded()
                case .loadStates(let keys, let scope):
                    let records = try await Self.currentState(of: keys, for: scope, schema: schema, tx)
                    // The answer's clock: the hub's clock as this push leaves it.
                    try await tx.publish()
                    let clock = try await Self.clock(tx)
                    step = machine.loaded(PushMachine.States(records: records, clock: clock))
                case .done(let answer): return answer
                }
            }
        }
    }

    /// Reads what the push rules need, after taking the locks that make them race-free across
    /// hub processes: the station's row, then its site.
    static func facts(_ request: PushMachine.FactsRequest, hubSite: SiteID, _ tx: PostgresTransaction) async throws -> PushMachine.Facts {
        let bound = try await tx.rows("SELECT site FROM stations WHERE id = \(request.station.id) FOR UPDATE").first
            .flatMap { try $0.decode(Int64?.self) }.map { SiteID(rawValue: UInt64(bitPattern: $0)) }
        var inUse = false
        var owner: String?
        var acked: UInt64 = 0
        var stored: [UInt64: PushRefusal] = [:]
        if let site = request.site {
            let key = Int64(bitPattern: site.rawValue)
            try await tx.execute("SELECT pg_advisory_xact_lock(\(key))")
            if bound == nil {
                owner = try await tx.rows("SELECT id FROM stations WHERE site = \(key)").first?.decode(String.self)
                let station = owner != nil
                let changes = try await tx.rows("SELECT 1 FROM site_seq WHERE site = \(key)").first != nil
                inUse = site == hubSite || station || changes
            }
            acked = try await ackedSeq(site, tx)
            if let seqs = request.seqs, seqs.lowerBound <= acked {
                let low = Int64(bitPattern: seqs.lowerBound), high = Int64(bitPattern: min(seqs.upperBound, acked))
                for row in try await tx.rows("SELECT seq, code, message FROM hub_refusals WHERE site = \(key) AND seq BETWEEN \(low) AND \(high)") {
                    let (seq, code, message) = try row.decode((Int64, String, String).self)
                    stored[UInt64(bitPattern: seq)] = PushRefusal(seq: UInt64(bitPattern: seq), code: SyncErrorCode(rawValue: code), message: message)
                }
            }
        }
        var places: [RecordKey: RecordPlace] = [:]
        for (record, row) in try await recordRows(request.records, tx) { places[record] = row.place }
        var facts = PushMachine.Facts(boundSite: bound, siteInUse: inUse, acked: acked, storedRefusals: stored, places: places, tree: try await orgTree(tx))
        facts.siteOwner = owner
        return facts
    }

    /// Stores a push's outcome: site binding, refusals, moves (at the push's last log
    /// position, when it is published), acknowledged seq, contact.
    static func record(_ outcome: PushMachine.Outcome, _ tx: PostgresTransaction) async throws {
        if let site = outcome.bind {
            do {
                try await tx.execute("UPDATE stations SET site = \(Int64(bitPattern: site.rawValue)) WHERE id = \(outcome.station.id)")
            } catch where PostgresErrors.sqlState(error) == "23505" {
                throw StationAccessRefusal.siteTaken(site, owner: nil)
            }
        }
        if let (site, _) = outcome.acknowledge, !outcome.refusals.isEmpty {
            let refusals = outcome.refusals
            try await tx.execute(
                """
                INSERT INTO hub_refusals (site, seq, code, message, type, rid)
                SELECT \(Int64(bitPattern: site.rawValue)), q, c, m, CASE WHEN n THEN NULL ELSE t END, CASE WHEN n THEN NULL ELSE r END
                FROM unnest(\(refusals.map { Int64(bitPattern: $0.refusal.seq) }), \(refusals.map(\.refusal.code.rawValue)), \(refusals.map(\.refusal.message)),
                    \(refusals.map { $0.record?.type ?? "" }), \(refusals.map { $0.record?.id ?? "" }), \(refusals.map { $0.record == nil }))
                    AS u(q, c, m, t, r, n)
                ON CONFLICT (site, seq) DO UPDATE SET code = excluded.code, message = excluded.message, type = excluded.type, rid = excluded.rid
                """)
        }
        tx.recordMoves(outcome.moves)
        if let (site, seq) = outcome.acknowledge {
            try await tx.execute(
                """
                INSERT INTO site_seq (site, acked) VALUES (\(Int64(bitPattern: site.rawValue)), \(Int64(bitPattern: seq)))
                ON CONFLICT (site) DO UPDATE SET acked = excluded.acked
                """)
        }
        try await touch(outcome.station.id, at: outcome.contact, tx)
    }

    /// The highest seq of `site` the hub holds.
    static func ackedSeq(_ site: SiteID, _ tx: PostgresTransaction) async throws -> UInt64 {
        let row = try await tx.rows("SELECT acked FROM site_seq WHERE site = \(Int64(bitPattern: site.rawValue))").first
        return UInt64(bitPattern: try row?.decode(Int64.self) ?? 0)
    }

    /// The hub's clock as last published.
    static func clock(_ tx: PostgresTransaction) async throws -> HLC {
        if let head = tx.lockedHead { return head.clock }
        let row = try await tx.rows("SELECT clock FROM log_head WHERE id = 1").first
        return HLC(rawValue: UInt64(bitPattern: try row?.decode(Int64.self) ?? 0))
    }

    /// Notes that a station was in contact.
    static func touch(_ station: String, at millis: UInt64, _ tx: PostgresTransaction) async throws {
        try await tx.execute("UPDATE stations SET last_contact = greatest(coalesce(last_contact, 0), \(Int64(millis))) WHERE id = \(station)")
    }
}
