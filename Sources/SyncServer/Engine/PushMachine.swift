public import SyncModel
import HTTPTypes

/// The hub's push rules (SPEC §10 `POST /v1/push`), free of any database: a store drives the
/// machine inside one transaction, answering each ``Step`` with what it read or wrote, and
/// the machine decides — site binding, seq gaps, duplicates and their stored refusals, scope,
/// records that would lie nowhere, moves, acknowledgement and the answer.
///
/// ```swift
/// var push = PushMachine(changes: changes, station: station, schema: schema, context: context)
/// var step = try push.start()
/// while true {
///     switch step {
///     case .loadFacts(let request): step = try push.facts(store.loadFacts(request))
///     case .apply(let changes, let watch): step = try push.applied(store.apply(changes, watching: watch))
///     case .record(let outcome): step = try push.recorded(store.record(outcome))
///     case .loadStates(let keys, let scope): step = push.loaded(store.states(keys, scope))
///     case .done(let answer): return answer
///     }
/// }
/// ```
/// The SQLite store drives it synchronously inside its group transaction, the PostgreSQL
/// store asynchronously; neither decides anything itself.
public struct PushMachine: Sendable {
    /// What the machine needs next.
    public enum Step: Sendable {
        /// Read the facts the rules need.
        case loadFacts(FactsRequest)
        /// Apply these changes with the replica merge (validation with ``context``, log
        /// de-duplication by origin, fold, derived tables) and report; give the place after
        /// the merge of every record in `watch` (records whose place the push may change).
        case apply([Change], watch: Set<RecordKey>)
        /// Store the outcome in the same transaction.
        case record(Outcome)
        /// Read the hub's state of these records as a station with this scope sees them
        /// (``StationScope/visibility(of:)``; hidden ones left out), and the hub's clock.
        case loadStates(Set<RecordKey>, StationScope)
        /// The push is decided: answer this once the transaction has committed.
        case done(PushResponse)
    }

    /// What the machine asks the store to read.
    public struct FactsRequest: Hashable, Sendable {
        /// The pushing station.
        public var station: HubStation
        /// The site the push's changes carry (`nil` for an empty push: the station's own).
        public var site: SiteID?
        /// The seqs of the push (stored refusals are needed for those already acknowledged).
        public var seqs: ClosedRange<UInt64>?
        /// The records the push writes.
        public var records: Set<RecordKey>
    }

    /// What the store read for a ``FactsRequest``.
    public struct Facts: Sendable {
        /// The site the station's token is bound to, if any.
        public var boundSite: SiteID?
        /// Whether the push's site is used by anyone else: another station, the hub itself,
        /// or changes the hub holds.
        public var siteInUse: Bool
        /// The highest seq of the site the hub holds.
        public var acked: UInt64
        /// Refusals the hub stored for the push's seqs, by seq.
        public var storedRefusals: [UInt64: PushRefusal]
        /// Where each requested record lies at the hub (absent: the hub holds none of it).
        public var places: [RecordKey: RecordPlace]
        /// The hub's org tree.
        public var tree: OrgTree
        /// The station that holds the push's site, when another one does (its refusal names it).
        public var siteOwner: String?

        /// Creates the facts.
        public init(
            boundSite: SiteID?, siteInUse: Bool, acked: UInt64, storedRefusals: [UInt64: PushRefusal], places: [RecordKey: RecordPlace],
            tree: OrgTree
        ) {
            self.boundSite = boundSite
            self.siteInUse = siteInUse
            self.acked = acked
            self.storedRefusals = storedRefusals
            self.places = places
            self.tree = tree
        }
    }

    /// What the merge did with the changes of an ``Step/apply(_:watch:)``.
    public struct Applied: Sendable {
        /// Applied, duplicate and refused changes.
        public var report: ApplyReport
        /// The place after the merge of each watched record the hub holds.
        public var places: [RecordKey: RecordPlace]

        /// Creates the value.
        public init(report: ApplyReport, places: [RecordKey: RecordPlace]) {
            self.report = report
            self.places = places
        }
    }

    /// What the store writes for a push, in the push's transaction.
    public struct Outcome: Sendable {
        /// The station.
        public var station: HubStation
        /// The site to bind the station's token to (its first push).
        public var bind: SiteID?
        /// The site and the seq the hub now holds of it (`nil`: unchanged).
        public var acknowledge: (site: SiteID, seq: UInt64)?
        /// Refusals to store, with the record each names.
        public var refusals: [(refusal: PushRefusal, record: RecordKey?)]
        /// Records whose place the push changed, with their places before and after; the
        /// store logs them at its last log position (SPEC §10 "Moves").
        public var moves: [(record: RecordKey, from: RecordPlace, to: RecordPlace)]
        /// When the station was in contact.
        public var contact: UInt64
    }

    /// What the store read for a ``Step/loadStates(_:_:)``.
    public struct States: Sendable {
        /// The records' states, in (type, id) order.
        public var records: [SnapshotRecord]
        /// The hub's clock as last saved.
        public var clock: HLC

        /// Creates the value.
        public init(records: [SnapshotRecord], clock: HLC) {
            self.records = records
            self.clock = clock
        }
    }

    private let changes: [Change]
    private let station: HubStation
    private let schema: Schema
    private let context: ValidationContext
    private var scope = StationScope(unit: "", subtree: [], ancestors: [])
    private var site: SiteID?
    private var bind: SiteID?
    private var acked: UInt64 = 0
    private var duplicates = 0
    private var refused: [PushRefusal] = []
    private var refusedRecords: Set<RecordKey> = []
    private var accepted: [Change] = []
    private var before: [RecordKey: RecordPlace] = [:]
    private var applied = 0

    /// Creates the machine for one push.
    public init(changes: [Change], station: HubStation, schema: Schema, context: ValidationContext) {
        self.changes = changes
        self.station = station
        self.schema = schema
        self.context = context
    }

    /// Checks the batch as a whole (nothing is read or written when it fails) and asks for
    /// the facts.
    public mutating func start() throws(SyncError) -> Step {
        try PushCheck.check(changes)
        site = changes.first?.site ?? station.site
        let seqs = changes.first.map { $0.seq...changes.last!.seq }
        return .loadFacts(FactsRequest(station: station, site: site, seqs: seqs, records: Set(changes.lazy.map(\.record).filter(holdable))))
    }

    /// Decides the push from the facts: refuses it whole (`wrong_site`, `seq_gap`) or sorts
    /// its changes into duplicates, refusals and changes to apply.
    public mutating func facts(_ facts: Facts) throws -> Step {
        scope = facts.tree.scope(of: station.org)
        if let first = changes.first {
            if let bound = facts.boundSite {
                guard bound == first.site else {
                    throw StationAccessRefusal.otherSite(first.site, station: station.id, bound: bound)
                }
            } else {
                guard !facts.siteInUse else {
                    throw StationAccessRefusal.siteTaken(first.site, owner: facts.siteOwner)
                }
                bind = first.site
            }
        }
        acked = facts.acked
        if let first = changes.first, first.seq > acked + 1 {
            throw HubError(
                .conflict, .seqGap, "the hub holds seq \(acked) of site \(first.site) and this push starts at \(first.seq); resend from \(acked + 1)",
                acked: acked)
        }
        var candidates: [Change] = []
        for change in changes {
            if change.seq <= acked {
                duplicates += 1
                // A station resends what it never heard answered: a change refused the first
                // time is refused again, or the station would keep it as accepted.
                if let refusal = facts.storedRefusals[change.seq] { refuse(change, refusal.code, refusal.message) }
                continue
            }
            let place = facts.places[change.record]
            if let error = ScopeRule.writeRefusal(change, place: place, scope: scope, schema: schema) {
                refuse(change, error.code, error.message)
                continue
            }
            if let place, before[change.record] == nil, movesRecord(change) { before[change.record] = place }
            candidates.append(change)
        }
        accepted = refusingUnplaced(candidates, places: facts.places)
        return .apply(accepted, watch: Set(before.keys))
    }

    /// Takes the merge's report: validation refusals join the others; then asks to store the
    /// outcome.
    public mutating func applied(_ result: Applied) -> Step {
        applied = result.report.applied.count
        duplicates += result.report.duplicates.count
        if !result.report.refused.isEmpty {
            let bySeq = Dictionary(accepted.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
            for refusal in result.report.refused {
                if let change = bySeq[refusal.origin.seq] { refuse(change, refusal.error.code, refusal.error.message) }
            }
        }
        refused.sort { $0.seq < $1.seq }
        let records = Dictionary(changes.filter { holdable($0.record) }.map { ($0.seq, $0.record) }, uniquingKeysWith: { a, _ in a })
        var moves: [(record: RecordKey, from: RecordPlace, to: RecordPlace)] = []
        for (record, from) in before.sorted(by: { $0.key < $1.key }) {
            if let to = result.places[record], to != from { moves.append((record, from, to)) }
        }
        let acknowledge = changes.last.flatMap { last in last.seq > acked ? (last.site, last.seq) : nil }
        return .record(
            Outcome(
                station: station, bind: bind, acknowledge: acknowledge, refusals: refused.map { ($0, records[$0.seq]) }, moves: moves,
                contact: context.wallMillis))
    }

    /// Asks for the refused records' states once the outcome is stored.
    public mutating func recorded() -> Step {
        .loadStates(refusedRecords, scope)
    }

    /// Builds the answer.
    public func loaded(_ states: States) -> Step {
        .done(
            PushResponse(
                acked: max(acked, changes.last?.seq ?? 0), applied: applied, duplicates: duplicates, refused: refused, records: states.records,
                hubClock: Self.answerClock(states.clock, wallMillis: context.wallMillis)))
    }

    /// The clock an answer carries: a send event, the later of the hub's clock and its wall
    /// clock, so that a station that only pulls compares itself with the hub's time and not
    /// with the hub's last write, however long ago that was (SPEC §2).
    public static func answerClock(_ clock: HLC, wallMillis: UInt64) -> HLC {
        max(clock, HLC(millis: wallMillis, counter: 0))
    }

    // MARK: Rules

    /// Refuses a change. Its message quotes what the station sent (an id, a value) with every
    /// control character escaped (``TerminalText``): a stored refusal holds no NUL, which
    /// PostgreSQL's text cannot, and reads the same from either store.
    private mutating func refuse(_ change: Change, _ code: SyncErrorCode, _ message: String) {
        refused.append(PushRefusal(seq: change.seq, code: code, message: TerminalText.escaped(message)))
        if holdable(change.record) { refusedRecords.insert(change.record) }
    }

    /// Whether the hub can hold `record` at all: a type of the schema and a valid id. The
    /// others (refused `unknown_type` or `malformed_id`) are never looked up, nor named by a
    /// stored refusal: no store holds them, and their ids may hold anything, NUL included.
    private func holdable(_ record: RecordKey) -> Bool {
        schema.types[record.type] != nil && Identifier.isValidID(record.id)
    }

    /// Whether a change writes a field that decides the record's place.
    private func movesRecord(_ change: Change) -> Bool {
        guard change.element == nil, let recordType = schema.types[change.type] else { return false }
        return change.field == recordType.scopeField || recordType.secondScopeField == change.field
    }

    /// Refuses the changes of records that would lie nowhere: a record the hub holds no place
    /// for (it is new, or every write of its scope field was refused) takes a change only
    /// from a push that also writes its scope field validly (SPEC §10 "Scope"). A change
    /// invalid in itself is left to the merge, which refuses it for its own reason.
    private mutating func refusingUnplaced(_ candidates: [Change], places: [RecordKey: RecordPlace]) -> [Change] {
        var placing: Set<RecordKey> = []
        for change in candidates where change.element == nil && change.field == schema.types[change.type]?.scopeField {
            if (try? schema.validate(change, in: context)) != nil { placing.insert(change.record) }
        }
        var kept: [Change] = []
        kept.reserveCapacity(candidates.count)
        for change in candidates {
            guard let scopeField = schema.types[change.type]?.scopeField, places[change.record]?.isPlaced != true,
                !placing.contains(change.record), (try? schema.validate(change, in: context)) != nil
            else {
                kept.append(change)
                continue
            }
            refuse(
                change, .missingField, "\(change.type)/\(change.id) has no org unit at the hub: a record's first push writes its \(scopeField)")
        }
        return kept
    }
}
