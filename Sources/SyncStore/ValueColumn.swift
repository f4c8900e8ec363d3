import SyncModel
import GRDB

/// Field values in SQLite columns: stored natively (NULL, INTEGER, REAL, TEXT; booleans as
/// 0/1) so that reports can query them, and read back by the kind the schema gives.
enum ValueColumn {
    /// The database value that stores `value`.
    static func databaseValue(_ value: FieldValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .bool(let b): (b ? 1 : 0).databaseValue
        case .int(let i): i.databaseValue
        case .number(let d): d.databaseValue
        case .string(let s): s.databaseValue
        }
    }

    /// The field value stored in `dbValue` for a field of `kind` (`nil`: a set element).
    static func fieldValue(_ dbValue: DatabaseValue, kind: ValueKind?) -> FieldValue {
        switch dbValue.storage {
        case .null:
            return .null
        case .int64(let i):
            switch kind {
            case .bool?, .set?, nil: return .bool(i != 0)
            case .number?: return .number(Double(i))
            default: return .int(i)
            }
        case .double(let d):
            return .number(d)
        case .string(let s):
            return .string(s)
        case .blob(let data):
            return .string(String(decoding: data, as: UTF8.self))
        }
    }
}

extension Schema {
    /// The value kind of a field key; `_deleted` and set elements hold booleans.
    func storedKind(type: String, field: String) -> ValueKind? {
        guard let spec = self.field(field, of: type) else { return nil }
        return spec.kind
    }
}

/// Extra lww heads, kept in the `heads` column as lines `<version>\t<canonical json>`.
enum HeadsColumn {
    static func encode(_ heads: ArraySlice<Head>) -> String? {
        guard !heads.isEmpty else { return nil }
        return heads.map { $0.version.text + "\t" + CanonicalJSON.text(of: $0.value) }.joined(separator: "\n")
    }

    static func decode(_ text: String?, kind: ValueKind?) -> [Head] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let tab = line.firstIndex(of: "\t"), let version = Version(text: line[..<tab]),
                var value = CanonicalJSON.parseValue(String(line[line.index(after: tab)...]))
            else { return nil }
            // The text "2" of a number field is the number 2, not the integer.
            if kind == .number, case .int(let i) = value { value = .number(Double(i)) }
            return Head(version: version, value: value)
        }
    }
}

extension Int64 {
    /// The bit pattern of a site id or clock as SQLite's signed integer.
    init(bits value: UInt64) { self.init(bitPattern: value) }
}

extension UInt64 {
    /// A site id or clock read back from SQLite's signed integer.
    init(bits value: Int64) { self.init(bitPattern: value) }
}
