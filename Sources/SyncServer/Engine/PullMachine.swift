public import SyncModel

/// The hub's pull rules (SPEC §10 `GET /v1/pull`), free of any database: which log entries a
/// station receives, which moved and compacted records come with them, and where the page
/// ends. A store drives it inside one read transaction (a consistent snapshot), answering
/// each ``Step``; see ``PushMachine`` for the pattern.
public struct PullMachine: Sendable {
    /// What the machine needs next.
    public enum Step: Sendable {
        /// Read where the log stands.
        case begin
        /// Read up to `batch` log entries after position `after`, in position order, keeping
        /// (decoding) only those `filter` keeps; every entry read counts as examined.
        case scan(after: Int64, batch: Int, filter: PullFilter)
        /// Read the compaction marks at positions in `(from, to]`, in position order, at most
        /// `take` of them.
        case marks(from: Int64, to: Int64, take: Int)
        /// Read the moves logged in `(from, to]`: each moved record's place before its first
        /// move in the range, and its place now (absent when the hub holds no row of it).
        case moves(from: Int64, to: Int64)
        /// Read the hub's state of these records as the visibility says.
        case loadStates([RecordKey: Visibility])
        /// The answer.
        case done(PullResponse)
    }

    /// Where the log stands, as read at the start of the pull's transaction.
    public struct Begin: Sendable {
        /// The last position the hub has issued (0 for an empty log).
        public var lastPosition: Int64
        /// The hub's org tree.
        public var tree: OrgTree
        /// The hub's clock as last saved.
        public var clock: HLC
        /// The hub's log epoch.
        public var epoch: String?

        /// Creates the value.
        public init(lastPosition: Int64, tree: OrgTree, clock: HLC, epoch: String?) {
            self.lastPosition = lastPosition
            self.tree = tree
            self.clock = clock
            self.epoch = epoch
        }
    }

    /// One log entry a scan kept.
    public struct Entry: Sendable {
        /// Its log position.
        public var position: Int64
        /// The change.
        public var change: Change

        /// Creates the value.
        public init(position: Int64, change: Change) {
            self.position = position
            self.change = change
        }
    }

    /// What a scan read.
    public struct Scanned: Sendable {
        /// The entries kept, in position order.
        public var entries: [Entry]
        /// How many entries were read (kept or not).
        public var read: Int
        /// The position of the last entry read (`after` when none was).
        public var last: Int64

        /// Creates the value.
        public init(entries: [Entry], read: Int, last: Int64) {
            self.entries = entries
            self.read = read
            self.last = last
        }
    }

    /// A moved record: its place before its first move in a range, and now.
    public struct Moved: Sendable {
        /// The record.
        public var record: RecordKey
        /// Its place before its first move in the range.
        public var before: RecordPlace
        /// Its place now; `nil` when the hub holds no row of it.
        public var now: RecordPlace?

        /// Creates the value.
        public init(record: RecordKey, before: RecordPlace, now: RecordPlace?) {
            self.record = record
            self.before = before
            self.now = now
        }
    }

    /// A compaction mark: a record that lost a log entry at `position`, with its place now.
    public struct Mark: Sendable {
        /// The record.
        public var record: RecordKey
        /// The position of the entry it lost.
        public var position: Int64
        /// Its place now; `nil` when the hub holds no row of it.
        public var place: RecordPlace?

        /// Creates the value.
        public init(record: RecordKey, position: Int64, place: RecordPlace?) {
            self.record = record
            self.position = position
            self.place = place
        }
    }

    private let station: HubStation
    private let cursor: Int64
    private let limit: Int
    private let wallMillis: UInt64
    private var begin: Begin?
    private var scope = StationScope(unit: "", subtree: [], ancestors: [])
    private var examined: Int64
    private var read = 0
    private var entries: [Entry] = []
    private var installs: [RecordKey: Visibility] = [:]
    private var removed: [RecordKey] = []
    private var redacted: [RecordKey] = []

    /// Creates the machine for one pull of `limit` changes after `cursor`.
    public init(station: HubStation, cursor: Int64, limit: Int, wallMillis: UInt64) {
        self.station = station
        self.cursor = cursor
        self.limit = limit
        self.wallMillis = wallMillis
        self.examined = cursor
    }

    /// The most entries one pull examines before it answers (own and unseen ones included).
    var maxExamined: Int { max(limit * 20, 100_000) }

    /// Starts the pull.
    public func start() -> Step { .begin }

    /// Checks the cursor and starts the scan.
    public mutating func begun(_ begin: Begin) throws(SyncError) -> Step {
        guard cursor >= 0, cursor <= begin.lastPosition else {
            throw SyncError(
                .badCursor, "cursor \(cursor) was never issued by this hub (its log ends at \(begin.lastPosition)); bootstrap from /v1/snapshot")
        }
        self.begin = begin
        scope = begin.tree.scope(of: station.org)
        return .scan(after: cursor, batch: limit, filter: PullFilter(scope: scope, ownSite: station.site))
    }

    /// Takes a scanned batch: goes on scanning, or asks for the compaction marks.
    public mutating func scanned(_ batch: Scanned, schema: Schema) -> Step {
        read += batch.read
        examined = batch.last
        for entry in batch.entries {
            entries.append(entry)
            if entries.count >= limit {
                examined = entry.position
                return .marks(from: cursor, to: examined, take: 1)
            }
        }
        if batch.read < limit {
            // The log ends here: every position up to the last one issued is examined
            // (compaction may have dropped the last entries).
            examined = max(examined, begin?.lastPosition ?? examined)
        } else if read < maxExamined {
            return .scan(after: examined, batch: limit, filter: PullFilter(scope: scope, ownSite: station.site))
        }
        return .marks(from: cursor, to: examined, take: max(1, limit - entries.count))
    }

    /// Takes the compaction marks in range (SPEC §10 "Compaction"): each marked record goes
    /// whole (as the station may see it) beside the changes; when more marks than the page
    /// holds fall in range, the page ends at the last one taken.
    public mutating func marked(_ marks: [Mark], take: Int) -> Step {
        let taken = marks.prefix(take)
        if marks.count > take, let cut = taken.last?.position {
            entries.removeAll { $0.position > cut }
            examined = cut
        }
        for mark in taken {
            let visibility = scope.visibility(of: mark.place)
            if visibility != .hidden { installs[mark.record] = visibility }
        }
        return .moves(from: cursor, to: examined)
    }

    /// Takes the moves in range (SPEC §10 "Moves") and asks for the records to install.
    public mutating func moved(_ moves: [Moved]) -> Step {
        for move in moves.sorted(by: { $0.record < $1.record }) {
            guard let now = move.now else { continue }
            let visibility = scope.visibility(of: now)
            switch ScopeRule.moveEffect(from: scope.visibility(of: move.before), to: visibility) {
            case .none: break
            case .remove: removed.append(move.record)
            case .redact: redacted.append(move.record)
            case .install(let visibility): installs[move.record] = visibility
            }
        }
        return .loadStates(installs)
    }

    /// Builds the answer from the installed records' states.
    public func loaded(_ records: [SnapshotRecord]) -> Step {
        let last = begin?.lastPosition ?? examined
        return .done(
            PullResponse(
                changes: entries.map(\.change), records: records.sorted { RecordKey(type: $0.type, id: $0.id) < RecordKey(type: $1.type, id: $1.id) }, removed: removed,
                redacted: redacted, cursor: examined, more: examined < last,
                hubClock: PushMachine.answerClock(begin?.clock ?? .zero, wallMillis: wallMillis), epoch: begin?.epoch))
    }
}

/// Which log entries a pull keeps (SPEC §10 "Pull"): changes follow their record's place now —
/// a change of a record the station sees, its personal fields only when it owns it — and a
/// station's own changes are not sent back to it. A store applies it while it scans, before
/// decoding an entry.
public struct PullFilter: Sendable {
    /// The station's scope.
    public var scope: StationScope
    /// The station's own site, whose changes it already holds.
    public var ownSite: SiteID?

    /// Whether the entry of `site` writing `field` of a record of `type` at `place` (`nil`:
    /// the hub holds no row of it) goes to the station.
    public func keeps(site: SiteID, type: String, field: String, place: RecordPlace?, schema: Schema) -> Bool {
        if site == ownSite { return false }
        switch scope.visibility(of: place) {
        case .hidden: return false
        case .whole: return true
        case .withoutPersonal: return schema.field(field, of: type)?.personal != true
        }
    }
}
