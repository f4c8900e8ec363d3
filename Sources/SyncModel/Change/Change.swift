/// One field write, the unit of replication.
///
/// A change names its origin (`site`, `seq`: the writer's site and its own consecutive
/// sequence number from 1), the record (`type`, `id`) and the record's org unit (`scope`),
/// the `field` (and, for a set field, the `element`), the `value`, the writer's clock `hlc`
/// and the `bases`: the versions of the field's heads the writer held when it wrote.
///
/// The change's ``version`` is `(hlc, site)`.
public struct Change: Hashable, Sendable {
    /// The writer's site.
    public var site: SiteID
    /// The writer's sequence number, consecutive from 1 per site.
    public var seq: UInt64
    /// The writer's clock at the write.
    public var hlc: HLC
    /// The record type, e.g. `member`.
    public var type: String
    /// The record id.
    public var id: String
    /// The org unit the record belongs to, as the writer saw it.
    public var scope: String
    /// The field written; `_deleted` for a delete or restore.
    public var field: String
    /// For a set field, the element whose presence is written; otherwise `nil`.
    public var element: String?
    /// The value written. For a set field, `true` (present) or `false` (absent).
    public var value: FieldValue
    /// The versions of the field's heads that the writer held and overwrote.
    public var bases: [Version]

    /// Creates a change.
    public init(
        site: SiteID, seq: UInt64, hlc: HLC, type: String, id: String, scope: String,
        field: String, element: String? = nil, value: FieldValue, bases: [Version] = []
    ) {
        self.site = site
        self.seq = seq
        self.hlc = hlc
        self.type = type
        self.id = id
        self.scope = scope
        self.field = field
        self.element = element
        self.value = value
        self.bases = bases
    }

    /// The version of this write.
    public var version: Version { Version(hlc: hlc, site: site) }

    /// The origin of this change, unique across all replicas.
    public var origin: ChangeOrigin { ChangeOrigin(site: site, seq: seq) }

    /// The field (or set element) this change writes.
    public var key: FieldKey { FieldKey(type: type, id: id, field: field, element: element) }

    /// The record this change belongs to.
    public var record: RecordKey { RecordKey(type: type, id: id) }
}

extension Change: Codable {
    enum CodingKeys: String, CodingKey {
        case site, seq, hlc, type, id, scope, field, element = "elem", value, bases
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.site = try c.decode(SiteID.self, forKey: .site)
        self.seq = try c.decode(UInt64.self, forKey: .seq)
        self.hlc = try c.decode(HLC.self, forKey: .hlc)
        self.type = try c.decode(String.self, forKey: .type)
        self.id = try c.decode(String.self, forKey: .id)
        self.scope = try c.decode(String.self, forKey: .scope)
        self.field = try c.decode(String.self, forKey: .field)
        self.element = try c.decodeIfPresent(String.self, forKey: .element)
        self.value = try c.decodeIfPresent(FieldValue.self, forKey: .value) ?? .null
        self.bases = try c.decodeIfPresent([Version].self, forKey: .bases) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(site, forKey: .site)
        try c.encode(seq, forKey: .seq)
        try c.encode(hlc, forKey: .hlc)
        try c.encode(type, forKey: .type)
        try c.encode(id, forKey: .id)
        try c.encode(scope, forKey: .scope)
        try c.encode(field, forKey: .field)
        try c.encodeIfPresent(element, forKey: .element)
        try c.encode(value, forKey: .value)
        if !bases.isEmpty { try c.encode(bases, forKey: .bases) }
    }
}

/// The origin of a change: the writing site and its sequence number.
public struct ChangeOrigin: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The writing site.
    public var site: SiteID
    /// The site's sequence number.
    public var seq: UInt64

    /// Creates an origin.
    public init(site: SiteID, seq: UInt64) {
        self.site = site
        self.seq = seq
    }

    public static func < (lhs: ChangeOrigin, rhs: ChangeOrigin) -> Bool {
        (lhs.site, lhs.seq) < (rhs.site, rhs.seq)
    }

    public var description: String { "\(site.hex)#\(seq)" }
}

/// A record: its type and id.
public struct RecordKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The record type.
    public var type: String
    /// The record id.
    public var id: String

    /// Creates a record key.
    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        (lhs.type.utf8Ordered, lhs.id.utf8Ordered) < (rhs.type.utf8Ordered, rhs.id.utf8Ordered)
    }

    public var description: String { "\(type)/\(id)" }
}

/// One field of one record, or one element of a set field: the unit the merge decides.
public struct FieldKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The record type.
    public var type: String
    /// The record id.
    public var id: String
    /// The field name.
    public var field: String
    /// The set element, for a set field.
    public var element: String?

    /// Creates a field key.
    public init(type: String, id: String, field: String, element: String? = nil) {
        self.type = type
        self.id = id
        self.field = field
        self.element = element
    }

    /// The record this field belongs to.
    public var record: RecordKey { RecordKey(type: type, id: id) }

    public static func < (lhs: FieldKey, rhs: FieldKey) -> Bool {
        (lhs.type.utf8Ordered, lhs.id.utf8Ordered, lhs.field.utf8Ordered, (lhs.element ?? "").utf8Ordered)
            < (rhs.type.utf8Ordered, rhs.id.utf8Ordered, rhs.field.utf8Ordered, (rhs.element ?? "").utf8Ordered)
    }

    public var description: String {
        element.map { "\(type)/\(id).\(field)[\($0)]" } ?? "\(type)/\(id).\(field)"
    }
}
