public import SyncModel
public import SyncStore

/// The full story of one record as this replica holds it: for each field (and each element
/// of a set field), every write, which stand as heads, which one wins and why, and which are
/// conflicts — so that no resolution is ever silent.
public struct RecordExplanation: Hashable, Sendable {
    /// The record.
    public var key: RecordKey
    /// Whether the record is deleted.
    public var isDeleted: Bool
    /// What the delete means for the record, when it is deleted.
    public var deletion: String?
    /// One explanation per field key, in key order.
    public var fields: [FieldExplanation]

    /// Creates a record explanation.
    public init(key: RecordKey, isDeleted: Bool, deletion: String?, fields: [FieldExplanation]) {
        self.key = key
        self.isDeleted = isDeleted
        self.deletion = deletion
        self.fields = fields
    }
}

/// How one field (or one set element) got its value.
public struct FieldExplanation: Hashable, Sendable {
    /// The field or set element.
    public var key: FieldKey
    /// The policy that decides it.
    public var policy: MergePolicy
    /// The value shown, if any write stands.
    public var value: FieldValue?
    /// The winning version.
    public var winner: Version?
    /// Why the winner wins: the policy and the rule that decided, as a sentence.
    public var rule: String
    /// Every write this replica holds for the field key, oldest log position first.
    public var writes: [WriteExplanation]
    /// The conflicts open on the field key.
    public var conflicts: [Conflict]

    /// Creates a field explanation.
    public init(
        key: FieldKey, policy: MergePolicy, value: FieldValue?, winner: Version?, rule: String,
        writes: [WriteExplanation], conflicts: [Conflict]
    ) {
        self.key = key
        self.policy = policy
        self.value = value
        self.winner = winner
        self.rule = rule
        self.writes = writes
        self.conflicts = conflicts
    }
}

/// One write of a field and the part it plays in the merge.
public struct WriteExplanation: Hashable, Sendable {
    /// The part a write plays.
    public enum Role: String, Hashable, Sendable, Codable {
        /// Its value is shown.
        case winner
        /// A head that lost a concurrent race with another value: a conflict to review.
        case conflict
        /// A head that lost but holds the winner's value: agreement, not conflict.
        case agreeing
        /// A later write listed it among its bases: it was overwritten knowingly.
        case superseded
        /// Another write's value ranks higher under the policy (forward state, set element,
        /// earliest immutable write).
        case outranked
        /// The hub refused it; it takes no part in the merge.
        case refused
    }

    /// The write's position in this replica's log.
    public var position: Int64
    /// The write's version.
    public var version: Version
    /// Who wrote it (site and seq).
    public var origin: ChangeOrigin
    /// Whether this station wrote it.
    public var isOwn: Bool
    /// The value written.
    public var value: FieldValue
    /// The versions it overwrote.
    public var bases: [Version]
    /// Whether it stands as a head of the field.
    public var isHead: Bool
    /// The part it plays.
    public var role: Role
    /// For an own write: waiting, acknowledged or refused (with the reason).
    public var syncState: LoggedChange.SyncState?

    /// Creates a write explanation.
    public init(
        position: Int64, version: Version, origin: ChangeOrigin, isOwn: Bool, value: FieldValue, bases: [Version],
        isHead: Bool, role: Role, syncState: LoggedChange.SyncState?
    ) {
        self.position = position
        self.version = version
        self.origin = origin
        self.isOwn = isOwn
        self.value = value
        self.bases = bases
        self.isHead = isHead
        self.role = role
        self.syncState = syncState
    }
}
