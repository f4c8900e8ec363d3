public import SyncModel

/// The content of a station bundle: the station's own changes and where it stands with the hub.
public struct StationBundleContent: Hashable, Sendable, Codable {
    /// Own changes in seq order: those past ``acked`` (the outbox), or every own change.
    public var changes: [Change]
    /// The highest own seq the station knows the hub holds.
    public var acked: UInt64
    /// The station's pull cursor, `nil` before its first pull.
    public var cursor: Int64?
    /// The hub log epoch the cursor belongs to.
    public var epoch: String?

    /// Creates the content.
    public init(changes: [Change], acked: UInt64, cursor: Int64?, epoch: String?) {
        self.changes = changes
        self.acked = acked
        self.cursor = cursor
        self.epoch = epoch
    }
}

/// The content of a hub bundle: the proof of what the hub holds of the station's changes, and
/// the pulls that take the station from ``from`` to ``to`` in the hub's log.
public struct HubBundleContent: Hashable, Sendable, Codable {
    /// The highest seq of the station's site the hub holds (applied or refused).
    public var acked: UInt64
    /// The station's changes the hub refused, with the reasons.
    public var refusals: [PushRefusal]
    /// The hub's state of the records the refused changes name, as the station sees them
    /// (as in a push answer); absent from bundles of older hubs.
    public var records: [SnapshotRecord]
    /// The hub log epoch of ``from`` and ``to``.
    public var epoch: String
    /// The hub log position the pulls start after: the station's cursor.
    public var from: Int64
    /// The last position the pulls reach: the station's next cursor.
    public var to: Int64
    /// The pull answers from ``from`` to ``to``, in order, as `GET /v1/pull` gives them.
    public var pulls: [PullResponse]
    /// The hub's current schema (SPEC §9): a station holding an older version of it takes
    /// it before it applies the pulls. Absent from bundles of hubs that predate it.
    public var schema: Schema?

    /// Creates the content.
    public init(
        acked: UInt64, refusals: [PushRefusal], records: [SnapshotRecord] = [], epoch: String, from: Int64, to: Int64, pulls: [PullResponse],
        schema: Schema? = nil
    ) {
        self.acked = acked
        self.refusals = refusals
        self.records = records
        self.epoch = epoch
        self.from = from
        self.to = to
        self.pulls = pulls
        self.schema = schema
    }
}

extension HubBundleContent {
    enum CodingKeys: String, CodingKey { case acked, refusals, records, epoch, from, to, pulls, schema }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.acked = try c.decode(UInt64.self, forKey: .acked)
        self.refusals = try c.decode([PushRefusal].self, forKey: .refusals)
        self.records = try c.decodeIfPresent([SnapshotRecord].self, forKey: .records) ?? []
        self.epoch = try c.decode(String.self, forKey: .epoch)
        self.from = try c.decode(Int64.self, forKey: .from)
        self.to = try c.decode(Int64.self, forKey: .to)
        self.pulls = try c.decode([PullResponse].self, forKey: .pulls)
        self.schema = try c.decodeIfPresent(Schema.self, forKey: .schema)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(acked, forKey: .acked)
        try c.encode(refusals, forKey: .refusals)
        if !records.isEmpty { try c.encode(records, forKey: .records) }
        try c.encode(epoch, forKey: .epoch)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(pulls, forKey: .pulls)
        try c.encodeIfPresent(schema, forKey: .schema)
    }
}
