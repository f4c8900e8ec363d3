import SyncModel

/// Field values as people read them: text as is, everything else as canonical JSON.
enum ValueText {
    /// The value for a table cell; `null` as an empty cell.
    static func text(_ value: FieldValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .null?, nil: ""
        case let value?: value.description
        }
    }

    /// The value for a table cell, or `<personal>` for personal data (phone, id number).
    static func masked(_ value: FieldValue, field: String, type: String, schema: Schema) -> String {
        schema.field(field, of: type)?.personal == true && value != .null ? "<personal>" : text(value)
    }
}
