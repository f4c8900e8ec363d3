public import SyncModel

/// The checks a push passes before the hub's store is touched; they depend only on the
/// batch, so every store implementation shares them.
public enum PushCheck {
    /// Refuses the whole batch when it mixes sites or has gaps inside. A change whose clock
    /// lies too far ahead is refused alone (`clock_skew`), like any invalid change, so that a
    /// station whose clock once ran fast does not hold back its whole outbox (SPEC §10).
    public static func check(_ changes: [Change]) throws(SyncError) {
        guard let first = changes.first else { return }
        guard first.site.rawValue != 0, first.site.rawValue != .max else {
            throw SyncError(.wrongSite, "site \(first.site) is no replica's site (all zeros or all ones); nothing of this push was applied")
        }
        for change in changes where change.site != first.site {
            throw SyncError(.wrongSite, "a push holds the changes of one site; got \(first.site) and \(change.site)")
        }
        for (index, change) in changes.enumerated() where change.seq != first.seq &+ UInt64(index) {
            throw SyncError(.badRequest, "a push holds consecutive seqs; seq \(change.seq) follows \(changes[index - 1].seq)")
        }
    }
}
