import SyncModel

/// Reads the typed values of one record out of its field map, with errors that name the
/// record type and field.
///
/// A `.null` value counts as absent (a cleared field). Fields the reader is not asked for
/// are ignored, so a record stored under a newer schema still reads.
struct FieldReader {
    /// The record type, for error messages.
    let type: String
    /// The scalar fields.
    let fields: [String: FieldValue]
    /// The set fields.
    let setFields: [String: Set<String>]

    /// Creates a reader, checking the record id.
    init(type: String, id: String, fields: [String: FieldValue], setFields: [String: Set<String>] = [:])
        throws(SyncError)
    {
        guard Identifier.isValidID(id) else {
            throw SyncError(.malformedID, "\(type): \"\(id)\" is not a record id (1 to 128 of A–Z a–z 0–9 - _ . :)")
        }
        self.type = type
        self.fields = fields
        self.setFields = setFields
    }

    /// `value`, or a `missing_field` error when it is `nil`.
    func require<T>(_ value: T?, _ name: String) throws(SyncError) -> T {
        guard let value else {
            throw SyncError(.missingField, "\(type): the field \"\(name)\" is required")
        }
        return value
    }

    /// The value of `name`, `nil` when absent or null.
    private func value(_ name: String) -> FieldValue? {
        guard let value = fields[name], value != .null else { return nil }
        return value
    }

    private func wrongKind(_ name: String, expected: String, got value: FieldValue) -> SyncError {
        SyncError(.wrongKind, "\(type).\(name): expected \(expected), got \(value.kindName) \(value.displayText)")
    }

    private func invalid(_ name: String, _ reason: String) -> SyncError {
        SyncError(.invalidValue, "\(type).\(name): \(reason)")
    }

    /// A `string` or `text` field.
    func string(_ name: String) throws(SyncError) -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw wrongKind(name, expected: "a string", got: value) }
        return text
    }

    /// A `ref` field: a string that is a well-formed id.
    func ref(_ name: String) throws(SyncError) -> String? {
        guard let id = try string(name) else { return nil }
        guard Identifier.isValidID(id) else {
            throw SyncError(.malformedID, "\(type).\(name): \"\(id)\" is not a record id")
        }
        return id
    }

    /// An `int` field.
    func int(_ name: String) throws(SyncError) -> Int? {
        guard let value = value(name) else { return nil }
        guard case .int(let number) = value else { throw wrongKind(name, expected: "an integer", got: value) }
        guard let int = Int(exactly: number) else { throw invalid(name, "\(number) is out of range") }
        return int
    }

    /// A `number` field; an integer is a number too.
    func number(_ name: String) throws(SyncError) -> Double? {
        guard let value = value(name) else { return nil }
        switch value {
        case .int(let int): return Double(int)
        case .number(let number) where number.isFinite: return number
        default: throw wrongKind(name, expected: "a finite number", got: value)
        }
    }

    /// A `bool` field.
    func bool(_ name: String) throws(SyncError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw wrongKind(name, expected: "true or false", got: value) }
        return flag
    }

    /// A `date` field: a string `YYYY-MM-DD` naming a real day.
    func date(_ name: String) throws(SyncError) -> CalendarDate? {
        guard let text = try string(name) else { return nil }
        guard let date = CalendarDate(text) else { throw invalid(name, "\"\(text)\" is not a date YYYY-MM-DD") }
        return date
    }

    /// An `enum` field (or a `forward` field's state): a string among `E`'s raw values.
    func enumeration<E: RawRepresentable & CaseIterable>(_ name: String) throws(SyncError) -> E?
    where E.RawValue == String {
        guard let text = try string(name) else { return nil }
        guard let member = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw invalid(name, "\"\(text)\" is not one of \(allowed)")
        }
        return member
    }

    /// A `set` field: its elements, each a well-formed id; empty when absent.
    func set(_ name: String) throws(SyncError) -> Set<String> {
        let elements = setFields[name] ?? []
        for element in elements where !Identifier.isValidID(element) {
            throw SyncError(.malformedID, "\(type).\(name): the element \"\(element)\" is not an id")
        }
        return elements
    }
}

extension FieldValue {
    /// The value as JSON text for messages and logs. A number is shown as Swift prints it:
    /// the canonical text (``FieldValue/description``) traps on a number that is not finite
    /// or beyond about 9.2e12, and such values are what error messages report.
    var displayText: String {
        if case .number(let number) = self { return "\(number)" }
        return description
    }
}
