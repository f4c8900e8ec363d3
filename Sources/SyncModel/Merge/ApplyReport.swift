/// A change a replica refused, and why.
public struct Refusal: Hashable, Sendable, Codable {
    /// The refused change's origin.
    public var origin: ChangeOrigin
    /// Why it was refused.
    public var error: SyncError

    /// Creates a refusal.
    public init(origin: ChangeOrigin, error: SyncError) {
        self.origin = origin
        self.error = error
    }
}

/// What applying a batch of changes did.
public struct ApplyReport: Hashable, Sendable {
    /// Changes applied for the first time, in the order given.
    public var applied: [ChangeOrigin] = []
    /// Changes the replica already held (same site and seq), ignored.
    public var duplicates: [ChangeOrigin] = []
    /// Changes refused, with the reason; the rest of the batch is still applied.
    public var refused: [Refusal] = []

    /// Creates an empty report.
    public init() {}

    /// Adds another report's entries to this one.
    public mutating func append(_ other: ApplyReport) {
        applied += other.applied
        duplicates += other.duplicates
        refused += other.refused
    }
}
