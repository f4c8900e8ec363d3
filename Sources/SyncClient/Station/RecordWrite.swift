public import SyncModel

/// A request to create or update one record: the scalar fields to set and the changes to its
/// set fields. Only what differs from the record as the replica holds it is written.
///
/// ```swift
/// var write = RecordWrite(type: "activity", id: "act-1", fields: ["title": "主题党日"])
/// write.setChanges["attendees"] = ["m-0001": true, "m-0002": false]
/// ```
public struct RecordWrite: Hashable, Sendable {
    /// The record type, e.g. `member`.
    public var type: String
    /// The record id; `nil` creates a record with a new lowercased UUID.
    public var id: String?
    /// Scalar fields to set; `.null` clears a field.
    public var fields: [String: FieldValue]
    /// Set fields: element → `true` to add it, `false` to remove it.
    public var setChanges: [String: [String: Bool]]
    /// Set fields to make exactly equal to the given elements (others are removed).
    public var exactSets: [String: Set<String>]

    /// Creates a record write.
    public init(
        type: String, id: String? = nil, fields: [String: FieldValue] = [:], setChanges: [String: [String: Bool]] = [:],
        exactSets: [String: Set<String>] = [:]
    ) {
        self.type = type
        self.id = id
        self.fields = fields
        self.setChanges = setChanges
        self.exactSets = exactSets
    }

    /// Every field name the write touches.
    var fieldNames: Set<String> {
        Set(fields.keys).union(setChanges.keys).union(exactSets.keys)
    }
}

/// What a write did: the record's id and the changes it logged (none when nothing differed).
public struct WriteResult: Hashable, Sendable {
    /// The record id (new when the write created the record without an id).
    public var id: String
    /// The changes written to the log and the outbox, in order.
    public var changes: [Change]

    /// Creates a write result.
    public init(id: String, changes: [Change]) {
        self.id = id
        self.changes = changes
    }
}
