public import SyncModel

/// A typed record of the `county-work` schema: a Swift value that converts to and from the
/// field maps a replica stores and the changes that carry them.
///
/// Scalar fields (strings, numbers, dates, refs, enum and forward states) travel in
/// ``fields``; `set` fields (attendees, participants, linked ids) in ``setFields``, since
/// each of their elements is written on its own. The implicit `_deleted` field is in
/// neither: deletion is the replica's business, not the record's.
///
/// ```swift
/// let member = try Member(id: "m-0001", fields: ["name": "林秀英", "orgUnitId": "yc-t01-c01", "category": "retired"])
/// member.fields["category"]   // .string("retired")
/// ```
public protocol CountyRecord: Hashable, Sendable {
    /// The record type's name in the schema, e.g. `member`.
    static var recordType: String { get }

    /// The fields holding personal data (phone, id number): they never leave the record's
    /// scope and never appear in logs. ``logDescription`` leaves them out.
    static var personalFields: Set<String> { get }

    /// The record id.
    var id: String { get }

    /// The org unit the record belongs to: the value of the type's `scopeField`, or the
    /// record's own id for an org unit.
    var scope: String { get }

    /// Reads a record from its scalar fields; its set fields (if any) are empty.
    ///
    /// Fields unknown to the type are ignored, and a `null` value counts as absent.
    ///
    /// - Throws: ``SyncError`` with code `missing_field` when a required field is absent,
    ///   `wrong_kind` when a value has the wrong JSON type, `invalid_value` when it is not an
    ///   allowed state or a real date, and `malformed_id` when the id or a ref is malformed.
    init(id: String, fields: [String: FieldValue]) throws(SyncError)

    /// Reads a record from its scalar fields and the elements of its set fields.
    ///
    /// - Throws: ``SyncError`` as ``init(id:fields:)`` does; `malformed_id` when a set
    ///   element is not an id.
    init(id: String, fields: [String: FieldValue], setFields: [String: Set<String>]) throws(SyncError)

    /// The record's scalar fields that have a value, by field name. Set fields are not here.
    var fields: [String: FieldValue] { get }

    /// The record's set fields by field name (each present, possibly empty). Empty for types
    /// without set fields.
    var setFields: [String: Set<String>] { get }
}

extension CountyRecord {
    /// No personal fields.
    public static var personalFields: Set<String> { [] }

    /// No set fields.
    public var setFields: [String: Set<String>] { [:] }

    /// Reads a record of a type without set fields; `setFields` is ignored.
    public init(id: String, fields: [String: FieldValue], setFields: [String: Set<String>]) throws(SyncError) {
        try self.init(id: id, fields: fields)
    }

    /// A one-line description for logs, e.g. `member m-0001 {category: "retired", …}`, with
    /// personal fields shown as `<personal>` and set fields as their sizes.
    public var logDescription: String {
        var parts: [String] = []
        for (name, value) in fields.sorted(by: { $0.key.utf8Ordered < $1.key.utf8Ordered }) {
            parts.append(Self.personalFields.contains(name) ? "\(name): <personal>" : "\(name): \(value.displayText)")
        }
        for (name, elements) in setFields.sorted(by: { $0.key.utf8Ordered < $1.key.utf8Ordered }) {
            parts.append("\(name): \(elements.count) elements")
        }
        return "\(Self.recordType) \(id) {\(parts.joined(separator: ", "))}"
    }
}
