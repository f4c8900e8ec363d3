public import SyncModel

/// The hub's rules for a station's view as a whole (SPEC §10 `GET /v1/snapshot`,
/// `GET /v1/digest`): which records, in (type, id) order, and how (whole, or without
/// personal fields). A store drives it in one read transaction; see ``PushMachine``.
public struct ViewMachine: Sendable {
    /// What the machine needs next.
    public enum Step: Sendable {
        /// Read where the log stands (``PullMachine/Begin``).
        case begin
        /// Read up to `batch` record rows after `after` (from the first when `nil`) in (type, id)
        /// order, with their places. When `within` is given, the store may read only rows whose
        /// scope or second scope is one of those units (every row the station can see is one
        /// of them; the machine keeps exactly the visible rows either way), so that a view costs
        /// its own size rather than the hub's.
        case rows(after: RecordKey?, batch: Int, within: Set<String>?)
        /// Read the hub's state of these records as the visibility says (records without any
        /// field state are left out).
        case loadStates([(RecordKey, Visibility)])
        /// The page (or, for a digest, the whole view) is read.
        case done(View)
    }

    /// A record row with its place.
    public struct Row: Sendable {
        /// The record.
        public var record: RecordKey
        /// Where it lies.
        public var place: RecordPlace

        /// Creates the value.
        public init(record: RecordKey, place: RecordPlace) {
            self.record = record
            self.place = place
        }
    }

    /// What the machine read.
    public struct View: Sendable {
        /// The records, in (type, id) order.
        public var records: [SnapshotRecord]
        /// The last record examined, when more remain (a snapshot's next page starts after it).
        public var next: RecordKey?
        /// Where the log stood.
        public var begin: PullMachine.Begin
    }

    private let scope: @Sendable (OrgTree) -> StationScope?
    private let limit: Int
    private let after: RecordKey?
    private let tokenCursor: Int64?
    private var begin: PullMachine.Begin?
    /// The units whose records the station can see (`nil`: every unit, or no station).
    private var units: Set<String>?
    private var visible: [(RecordKey, Visibility)] = []
    private var next: RecordKey?
    private var records: [SnapshotRecord] = []

    /// A snapshot page of `station`'s view: at most `limit` records after the token's.
    public static func snapshot(for station: HubStation, token: SnapshotToken?, limit: Int) -> ViewMachine {
        ViewMachine(scope: { $0.scope(of: station.org) }, limit: limit, after: token?.after, tokenCursor: token?.cursor)
    }

    /// The whole view of `station` (the whole hub when `nil`), for a digest.
    public static func digest(for station: HubStation?) -> ViewMachine {
        ViewMachine(scope: { tree in station.map { tree.scope(of: $0.org) } }, limit: .max, after: nil, tokenCursor: nil)
    }

    private init(scope: @escaping @Sendable (OrgTree) -> StationScope?, limit: Int, after: RecordKey?, tokenCursor: Int64?) {
        self.scope = scope
        self.limit = limit
        self.after = after
        self.tokenCursor = tokenCursor
    }

    /// The rows asked per read.
    static let batch = 1_000

    /// Starts reading.
    public func start() -> Step { .begin }

    /// Checks a snapshot token against the log and starts reading rows.
    public mutating func begun(_ begin: PullMachine.Begin) throws(SyncError) -> Step {
        if let tokenCursor, tokenCursor > begin.lastPosition {
            throw SyncError(.badCursor, "the snapshot page token was not issued by this hub; start the snapshot again")
        }
        self.begin = begin
        if let scope = scope(begin.tree) {
            let units = scope.subtree.union(scope.ancestors)
            self.units = units.count < begin.tree.parents.count ? units : nil
        }
        return .rows(after: after, batch: Self.batch, within: units)
    }

    /// Whether this reads the whole view for a digest: its states are asked for batch by
    /// batch, and the store hashes them as they come (``loaded(_:)`` gets them back empty).
    public var isDigest: Bool { limit == .max }

    /// Keeps the rows the station sees until the page is full (or, for a digest, the batch is
    /// read), then asks for their states.
    public mutating func read(_ rows: [Row], tree: OrgTree) -> Step {
        let scope = self.scope(tree)
        for row in rows {
            next = row.record
            let visibility = scope?.visibility(of: row.place) ?? .whole
            if visibility != .hidden { visible.append((row.record, visibility)) }
            if visible.count >= limit - records.count { return .loadStates(visible) }
        }
        if rows.count < Self.batch { next = nil }
        guard next == nil || isDigest else { return .rows(after: next, batch: Self.batch, within: units) }
        return .loadStates(visible)
    }

    /// Takes the states: a digest hands them to `sink` batch by batch and keeps none, a page
    /// keeps them.
    public mutating func loaded(_ states: [SnapshotRecord], digestSink sink: ([SnapshotRecord]) throws -> Void) rethrows -> Step {
        guard isDigest else { return loaded(states) }
        try sink(states)
        return loaded([])
    }

    /// Takes the states; a page that holds fewer records than asked (some had no field
    /// state) reads on from where it stopped.
    public mutating func loaded(_ states: [SnapshotRecord]) -> Step {
        records += states
        visible.removeAll()
        if let next, records.count < limit { return .rows(after: next, batch: Self.batch, within: units) }
        return .done(View(records: records, next: next, begin: begin!))
    }
}

extension ViewMachine {
    /// The snapshot page this view is (the token's cursor, else where the log stood).
    public func page(_ view: View, token: SnapshotToken?, wallMillis: UInt64) -> SnapshotPage {
        let cursor = token?.cursor ?? view.begin.lastPosition
        return SnapshotPage(
            records: view.records, next: view.next.map { SnapshotToken(cursor: cursor, after: $0).text }, cursor: cursor,
            hubClock: PushMachine.answerClock(view.begin.clock, wallMillis: wallMillis), epoch: view.begin.epoch)
    }
}
