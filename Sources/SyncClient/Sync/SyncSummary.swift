public import SyncModel

/// What one sync round did.
public struct SyncSummary: Hashable, Sendable, Codable {
    /// Own changes sent to the hub.
    public var pushed = 0
    /// Own changes the hub refused in this round (kept, marked, shown in `status`/`log`).
    public var refused: [RefusedChange] = []
    /// Changes received from the hub and applied for the first time.
    public var pulled = 0
    /// Changes received that this replica already held.
    public var duplicates = 0
    /// Records installed whole: from a snapshot (bootstrap) or because they moved into scope.
    public var installed = 0
    /// Records dropped because they left the station's scope.
    public var removed = 0
    /// Conflicts that appeared in this round.
    public var newConflicts = 0
    /// Conflicts open after the round.
    public var openConflicts = 0
    /// Whether this round bootstrapped the replica from a snapshot.
    public var bootstrapped = false
    /// The pull cursor after the round.
    public var cursor: Int64 = 0
    /// Whether the hub's log epoch had changed (a hub restored from a backup): the station
    /// pushed again what the hub no longer held and pulled from the start of the log.
    public var rewound = false

    /// Creates an empty summary.
    public init() {}

    /// One refused change, as the summary reports it.
    public struct RefusedChange: Hashable, Sendable, Codable {
        /// The change's seq at this station.
        public var seq: UInt64
        /// The record, `type/id`.
        public var record: String
        /// The field.
        public var field: String
        /// The reason code.
        public var code: SyncErrorCode
        /// The reason.
        public var message: String

        /// Creates an entry.
        public init(seq: UInt64, record: String, field: String, code: SyncErrorCode, message: String) {
            self.seq = seq
            self.record = record
            self.field = field
            self.code = code
            self.message = message
        }
    }
}

/// Where a sync round stands, for progress display.
public struct SyncProgress: Hashable, Sendable {
    /// The phase.
    public enum Phase: String, Sendable {
        /// Sending the outbox.
        case push
        /// Loading the snapshot of a new replica.
        case bootstrap
        /// Receiving changes.
        case pull
    }

    /// The phase.
    public var phase: Phase
    /// Items done in this phase (changes or records).
    public var done: Int
    /// Items known to be waiting, if known.
    public var total: Int?

    /// Creates a progress report.
    public init(phase: Phase, done: Int, total: Int? = nil) {
        self.phase = phase
        self.done = done
        self.total = total
    }
}
