public import SyncModel

/// A change as a replica's log holds it: its local log position and, for a change this
/// replica wrote, what the hub made of it.
public struct LoggedChange: Hashable, Sendable {
    /// Where the change stands in this replica's log (the hub's pull cursor).
    public var position: Int64
    /// The change.
    public var change: Change
    /// For a change this replica wrote: whether the hub holds it, refused it, or not yet.
    public var state: SyncState?

    /// What became of a local change.
    public enum SyncState: Hashable, Sendable {
        /// Waiting in the outbox.
        case waiting
        /// The hub holds it durably.
        case acknowledged
        /// The hub refused it, for this reason; it is kept but takes no part in the merge.
        case refused(SyncError)
    }

    /// Creates a logged change.
    public init(position: Int64, change: Change, state: SyncState? = nil) {
        self.position = position
        self.change = change
        self.state = state
    }
}
