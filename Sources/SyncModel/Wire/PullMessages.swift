/// `GET /v1/pull?cursor=N&limit=L`: changes in the station's scope past the cursor.
public struct PullResponse: Hashable, Sendable, Codable {
    /// The changes, in hub log order.
    public var changes: [Change]
    /// Records that came into the station's scope since the cursor (moved to a unit it
    /// sees), whole, as the hub holds them now; installed before `changes` are applied.
    public var records: [SnapshotRecord]
    /// Records that left the station's scope since the cursor: the station drops them
    /// locally (they are not deleted for anyone else).
    public var removed: [RecordKey]
    /// Records the station still sees but no longer owns since the cursor (moved out of its
    /// subtree to a unit above it): the station drops their personal fields.
    public var redacted: [RecordKey]
    /// The cursor to pull from next time.
    public var cursor: Int64
    /// Whether more changes wait past `cursor`.
    public var more: Bool
    /// The hub's clock, for the station to adopt.
    public var hubClock: HLC
    /// The hub's log epoch (16 hex digits): renewed when the hub is restored from a backup,
    /// so that a station whose stored epoch differs knows its cursor and acknowledged seq no
    /// longer hold (SPEC §14). `nil` from hubs that predate it.
    public var epoch: String?
    /// The version of the hub's schema (SPEC §9): a station holding an older one fetches the
    /// newer (`GET /v1/schema`) and takes it before it applies this answer. `nil` from hubs
    /// that predate schemas as data.
    public var schemaVersion: Int?

    /// Creates a pull response.
    public init(
        changes: [Change], records: [SnapshotRecord] = [], removed: [RecordKey] = [], redacted: [RecordKey] = [],
        cursor: Int64, more: Bool, hubClock: HLC, epoch: String? = nil, schemaVersion: Int? = nil
    ) {
        self.changes = changes
        self.records = records
        self.removed = removed
        self.redacted = redacted
        self.cursor = cursor
        self.more = more
        self.hubClock = hubClock
        self.epoch = epoch
        self.schemaVersion = schemaVersion
    }

    enum CodingKeys: String, CodingKey { case changes, records, removed, redacted, cursor, more, hubClock, epoch, schemaVersion }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.changes = try c.decode([Change].self, forKey: .changes)
        self.records = try c.decode([SnapshotRecord].self, forKey: .records)
        self.removed = try c.decode([RecordKey].self, forKey: .removed)
        self.redacted = try c.decodeIfPresent([RecordKey].self, forKey: .redacted) ?? []
        self.cursor = try c.decode(Int64.self, forKey: .cursor)
        self.more = try c.decode(Bool.self, forKey: .more)
        self.hubClock = try c.decode(HLC.self, forKey: .hubClock)
        self.epoch = try c.decodeIfPresent(String.self, forKey: .epoch)
        self.schemaVersion = try c.decodeIfPresent(Int.self, forKey: .schemaVersion)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(changes, forKey: .changes)
        try c.encode(records, forKey: .records)
        try c.encode(removed, forKey: .removed)
        if !redacted.isEmpty { try c.encode(redacted, forKey: .redacted) }
        try c.encode(cursor, forKey: .cursor)
        try c.encode(more, forKey: .more)
        try c.encode(hubClock, forKey: .hubClock)
        try c.encodeIfPresent(epoch, forKey: .epoch)
        try c.encodeIfPresent(schemaVersion, forKey: .schemaVersion)
    }
}

/// `GET /v1/snapshot?page=TOKEN&limit=L`: one page of the current state of the station's scope.
public struct SnapshotPage: Hashable, Sendable, Codable {
    /// The records of this page, in (type, id) order.
    public var records: [SnapshotRecord]
    /// The token of the next page, `nil` on the last page.
    public var next: String?
    /// The hub log position the snapshot was taken at: pull from here once every page is in.
    public var cursor: Int64
    /// The hub's clock, for the station to adopt.
    public var hubClock: HLC
    /// The hub's log epoch, as in ``PullResponse/epoch``.
    public var epoch: String?
    /// The version of the hub's schema, as in ``PullResponse/schemaVersion``.
    public var schemaVersion: Int?

    /// Creates a snapshot page.
    public init(records: [SnapshotRecord], next: String?, cursor: Int64, hubClock: HLC, epoch: String? = nil, schemaVersion: Int? = nil) {
        self.records = records
        self.next = next
        self.cursor = cursor
        self.hubClock = hubClock
        self.epoch = epoch
        self.schemaVersion = schemaVersion
    }
}

/// The merged state of one record as the hub holds it, enough for a new replica to hold
/// exactly what it would after receiving every change of the record.
public struct SnapshotRecord: Hashable, Sendable, Codable {
    /// The record type.
    public var type: String
    /// The record id.
    public var id: String
    /// The record's org unit.
    public var scope: String
    /// Each field key's merged state.
    public var fields: [SnapshotField]

    /// Creates a snapshot record.
    public init(type: String, id: String, scope: String, fields: [SnapshotField]) {
        self.type = type
        self.id = id
        self.scope = scope
        self.fields = fields
    }
}

/// The merged state of one field (or set element) in a snapshot.
public struct SnapshotField: Hashable, Sendable, Codable {
    /// The field name.
    public var field: String
    /// The set element, for a set field.
    public var element: String?
    /// The heads, greatest version first (one, unless an lww field is in conflict).
    public var heads: [Head]
    /// Versions of this field that known writes list as bases (lww fields), so that a late
    /// copy of a superseded write never becomes a head again.
    public var superseded: [Version]

    /// Creates a snapshot field.
    public init(field: String, element: String? = nil, heads: [Head], superseded: [Version] = []) {
        self.field = field
        self.element = element
        self.heads = heads
        self.superseded = superseded
    }

    enum CodingKeys: String, CodingKey { case field, element = "elem", heads, superseded }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.field = try c.decode(String.self, forKey: .field)
        self.element = try c.decodeIfPresent(String.self, forKey: .element)
        self.heads = try c.decode([Head].self, forKey: .heads)
        self.superseded = try c.decodeIfPresent([Version].self, forKey: .superseded) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(field, forKey: .field)
        try c.encodeIfPresent(element, forKey: .element)
        try c.encode(heads, forKey: .heads)
        if !superseded.isEmpty { try c.encode(superseded, forKey: .superseded) }
    }
}
