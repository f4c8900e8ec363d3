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
    /// The hub's current state, as this station sees it, of every record a refused change of
    /// this push names (in (type, id) order): the station takes it in place of its own, so
    /// that it holds what the hub holds. A refused record missing here is one the station does
    /// not see at the hub (the hub never held it, or holds it elsewhere): the station drops it.
    public var records: [SnapshotRecord]
    /// The hub's clock when it answered, for the station to adopt.
    public var hubClock: HLC

    /// Creates a push response.
    public init(
        acked: UInt64, applied: Int, duplicates: Int, refused: [PushRefusal], records: [SnapshotRecord] = [], hubClock: HLC
    ) {
        self.acked = acked
        self.applied = applied
        self.duplicates = duplicates
        self.refused = refused
        self.records = records
        self.hubClock = hubClock
    }

    enum CodingKeys: String, CodingKey { case acked, applied, duplicates, refused, records, hubClock }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.acked = try c.decode(UInt64.self, forKey: .acked)
        self.applied = try c.decode(Int.self, forKey: .applied)
        self.duplicates = try c.decode(Int.self, forKey: .duplicates)
        self.refused = try c.decode([PushRefusal].self, forKey: .refused)
        self.records = try c.decodeIfPresent([SnapshotRecord].self, forKey: .records) ?? []
        self.hubClock = try c.decode(HLC.self, forKey: .hubClock)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(acked, forKey: .acked)
        try c.encode(applied, forKey: .applied)
        try c.encode(duplicates, forKey: .duplicates)
        try c.encode(refused, forKey: .refused)
        if !records.isEmpty { try c.encode(records, forKey: .records) }
        try c.encode(hubClock, forKey: .hubClock)
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
