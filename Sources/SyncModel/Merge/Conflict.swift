/// A write that lost and is kept for someone to review.
public struct Conflict: Hashable, Sendable, Codable, Comparable {
    /// Why the write is in conflict.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Two writes to an `lww` field were made without either seeing the other, with
        /// different values; the greater version is shown and this one is kept.
        case concurrent
        /// The record is deleted, and this write was made without seeing the delete.
        case deleteEdit = "delete_edit"
    }

    /// Why the write is in conflict.
    public var kind: Kind
    /// The record type.
    public var type: String
    /// The record id.
    public var id: String
    /// The field.
    public var field: String
    /// The set element, for a set field (delete/edit conflicts only).
    public var element: String?
    /// The version that wins (for a delete/edit conflict, the delete).
    public var winner: Version
    /// The version of the write kept in conflict.
    public var version: Version
    /// The value of the write kept in conflict.
    public var value: FieldValue

    /// Creates a conflict.
    public init(
        kind: Kind, type: String, id: String, field: String, element: String? = nil, winner: Version,
        version: Version, value: FieldValue
    ) {
        self.kind = kind
        self.type = type
        self.id = id
        self.field = field
        self.element = element
        self.winner = winner
        self.version = version
        self.value = value
    }

    /// The field the conflict is about.
    public var key: FieldKey { FieldKey(type: type, id: id, field: field, element: element) }

    public static func < (lhs: Conflict, rhs: Conflict) -> Bool {
        if lhs.key != rhs.key { return lhs.key < rhs.key }
        return lhs.version < rhs.version
    }

    enum CodingKeys: String, CodingKey {
        case kind, type, id, field, element = "elem", winner, version, value
    }
}
