import SyncModel

/// Builds the field map of a record: only fields with a value appear.
struct FieldWriter {
    /// The fields written so far.
    private(set) var fields: [String: FieldValue] = [:]

    /// Writes a `string`, `text` or `ref` field.
    mutating func put(_ name: String, _ value: String?) {
        if let value { fields[name] = .string(value) }
    }

    /// Writes an `int` field.
    mutating func put(_ name: String, _ value: Int?) {
        if let value { fields[name] = .int(Int64(value)) }
    }

    /// Writes a `number` field.
    mutating func put(_ name: String, _ value: Double?) {
        if let value { fields[name] = .number(value) }
    }

    /// Writes a `bool` field.
    mutating func put(_ name: String, _ value: Bool?) {
        if let value { fields[name] = .bool(value) }
    }

    /// Writes a `date` field as `YYYY-MM-DD`.
    mutating func put(_ name: String, _ value: CalendarDate?) {
        if let value { fields[name] = .string(value.description) }
    }

    /// Writes an `enum` field or a `forward` field's state.
    mutating func put<E: RawRepresentable>(_ name: String, _ value: E?) where E.RawValue == String {
        if let value { fields[name] = .string(value.rawValue) }
    }
}
