import Foundation
public import SyncModel

/// Reads field values typed by people (`FIELD=VALUE` on a command line) or given as JSON
/// into a ``RecordWrite``, by the kind the schema gives each field.
///
/// - `int`: `1958`; `number`: `4.5`; `bool`: `true`/`false`; `date`: `2025-03-22`;
///   text, refs, enum and forward states as written.
/// - set fields: `+ELEMENT` adds, `-ELEMENT` removes; several may be joined with commas
///   (`attendees=+m1,+m2,-m3`).
/// - `FIELD=` (empty) clears a field (`null`).
public enum FieldText {
    /// Reads `FIELD=VALUE` arguments into a write of a record of `type`.
    ///
    /// - Throws: ``SyncError`` `unknown_type`, `unknown_field`, or `invalid_value` for a
    ///   value that cannot be read as the field's kind or an argument without `=`.
    public static func write(type: String, id: String?, assignments: [String], schema: Schema) throws(SyncError) -> RecordWrite {
        _ = try schema.requireType(type)
        var write = RecordWrite(type: type, id: id)
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw SyncError(.invalidValue, "expected FIELD=VALUE, got \"\(assignment.prefix(40))\"")
            }
            let name = String(assignment[..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            let spec = try schema.requireField(name, of: type)
            if spec.kind == .set {
                for item in text.split(separator: ",", omittingEmptySubsequences: true) {
                    guard let sign = item.first, sign == "+" || sign == "-", item.count > 1 else {
                        throw SyncError(
                            .invalidValue, "\(type).\(name) is a set: write +ELEMENT to add or -ELEMENT to remove, not \"\(item.prefix(40))\"")
                    }
                    write.setChanges[name, default: [:]][String(item.dropFirst())] = sign == "+"
                }
            } else {
                write.fields[name] = try value(text, kind: spec.kind, path: "\(type).\(name)")
            }
        }
        return write
    }

    /// Reads one typed value of `kind`; empty text is `null`.
    public static func value(_ text: String, kind: ValueKind, path: String) throws(SyncError) -> FieldValue {
        if text.isEmpty { return .null }
        switch kind {
        case .int:
            // Read as the wire reads a JSON number (SPEC §3), so `1961`, `1961.0` and `1.961e3` agree.
            guard case .int(let int)? = JSONNumber.fieldValue(text) else {
                throw SyncError(.invalidValue, "\(path) takes a whole number; \"\(text.prefix(40))\" is not one")
            }
            return .int(int)
        case .number:
            // Decimal rounding of the text, as on the wire: `0.0000005` is 0.000001.
            guard let number = JSONNumber.fieldValue(text), number.doubleValue?.isFinite == true else {
                throw SyncError(.invalidValue, "\(path) takes a number; \"\(text.prefix(40))\" is not one")
            }
            return number
        case .bool:
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw SyncError(.invalidValue, "\(path) takes true or false; \"\(text.prefix(40))\" is neither")
            }
        case .string, .text, .date, .ref, .enum, .set:
            return .string(text)
        }
    }

    /// Reads a JSON object of fields (`{"name": "林秀英", "attendees": ["m1", "m2"]}`) into a
    /// write. An array gives a set field's elements exactly.
    public static func write(type: String, id: String?, json: String, schema: Schema) throws(SyncError) -> RecordWrite {
        let object: [String: JSONInput]
        do {
            object = try JSONDecoder().decode([String: JSONInput].self, from: Data(json.utf8))
        } catch {
            throw SyncError(.invalidValue, "--json takes one JSON object of fields, e.g. '{\"name\": \"林秀英\"}'")
        }
        return try write(type: type, id: id, object: object, schema: schema)
    }

    /// Reads one line of an import file: `{"type": "member", "id": "m-1", "fields": {…}}`.
    /// An object that names a key twice is refused (which one would count is not obvious).
    public static func importLine(_ line: String, schema: Schema) throws(SyncError) -> RecordWrite {
        let item: ImportLine
        do {
            item = try JSONDecoder().decode(ImportLine.self, from: Data(line.utf8))
        } catch {
            throw SyncError(.invalidValue, "an import line is {\"type\": …, \"id\": …, \"fields\": {…}}; got \"\(line.prefix(60))\"")
        }
        if let key = JSONDuplicateKeys.first(in: Array(line.utf8)) {
            throw SyncError(.invalidValue, "the key \"\(key.prefix(40))\" appears twice in one object; give each key once")
        }
        return try write(type: item.type, id: item.id, object: item.fields ?? [:], schema: schema)
    }

    private static func write(type: String, id: String?, object: [String: JSONInput], schema: Schema) throws(SyncError) -> RecordWrite {
        _ = try schema.requireType(type)
        var write = RecordWrite(type: type, id: id)
        for (name, input) in object {
            let spec = try schema.requireField(name, of: type)
            switch (input, spec.kind) {
            case (.elements(let elements), .set):
                write.exactSets[name] = Set(elements)
            case (.value(let value), let kind) where kind != .set:
                write.fields[name] = value
            default:
                throw SyncError(
                    .wrongKind,
                    spec.kind == .set
                        ? "\(type).\(name) is a set: give its elements as an array of strings"
                        : "\(type).\(name) takes one value, not an array")
            }
        }
        return write
    }

    /// A JSON field value or the elements of a set field.
    enum JSONInput: Decodable {
        case value(FieldValue)
        case elements([String])

        init(from decoder: any Decoder) throws {
            if let elements = try? decoder.singleValueContainer().decode([String].self) {
                self = .elements(elements)
            } else {
                self = .value(try FieldValue(from: decoder))
            }
        }
    }

    struct ImportLine: Decodable {
        var type: String
        var id: String?
        var fields: [String: JSONInput]?
    }
}
