/// `POST /v1/push`: a batch of the station's own changes, in seq order.
public struct PushRequest: Hashable, Sendable, Codable {
    /// The changes; every one has the pushing station's site.
    public var changes: [Change]

    /// Creates a push request.
    public init(changes: [Change]) {
        self.changes = changes
    }
}

/// The hub's answer to a push.
public struct PushResponse: Hashable, Sendable, Codable {
    /// The highest seq of this station the hub holds durably (applied or refused); every own
    /// change up to it may leave the outbox.
    public var acked: UInt64
    /// Changes of this batch the hub applied for the first time.
    public var applied: Int
    /// Changes of this batch the hub already held.
    public var duplicates: Int
    /// Changes the hub refused, with the reason; they are acknowledged all the same.
    public var refused: [PushRefusal]
    /// The hub's clock after the push, for the station to adopt.
    public var hubClock: HLC

    /// Creates a push response.
    public init(acked: UInt64, applied: Int, duplicates: Int, refused: [PushRefusal], hubClock: HLC) {
        self.acked = acked
        self.applied = applied
        self.duplicates = duplicates
        self.refused = refused
        self.hubClock = hubClock
    }
}

/// One refused change in a ``PushResponse``.
public struct PushRefusal: Hashable, Sendable, Codable {
    /// The refused change's seq.
    public var seq: UInt64
    /// The stable reason code.
    public var code: SyncErrorCode
    /// The reason in a sentence.
    public var message: String

    /// Creates a refusal entry.
    public init(seq: UInt64, code: SyncErrorCode, message: String) {
        self.seq = seq
        self.code = code
        self.message = message
    }
}
