import Foundation  // Decimal: reading numbers exactly through Codable

/// The value of one field write. On the wire it is the plain JSON value: a string, an
/// integer, a number, `true`/`false` or `null`. Dates are strings `YYYY-MM-DD`; the schema
/// says which kind a field expects.
public enum FieldValue: Hashable, Sendable {
    /// No value (a cleared field).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number.
    case int(Int64)
    /// A finite decimal number.
    case number(Double)
    /// Text, a date, an id or a state.
    case string(String)

    /// The text, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean, if this is a bool.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The value as a number, if it is an int or a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }

    /// A short name of the JSON type, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .number: "number"
        case .string: "string"
        }
    }
}

extension FieldValue: Codable {
    /// Reads a plain JSON value. A number is read as ``JSONNumber`` reads it, through
    /// `Decimal`, which a JSON decoder fills from the number's text exactly (past its 38th
    /// significant digit it truncates, which changes no six-decimal rounding and no range
    /// decision), so that this codec agrees with ``WireJSON``. A number `Decimal` cannot hold
    /// (an exponent past its range) is placed by its binary64 value: below a half-millionth
    /// it rounds to 0, from 2⁶³ on it is out of range.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        func malformed() -> DecodingError {
            DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a field value is a string, boolean, null or a number below 10^100 in magnitude (and 0 or at least 10^-100)"))
        }
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let decimal = try? container.decode(Decimal.self) {
            guard let value = JSONNumber.fieldValue(decimal.description) else { throw malformed() }
            self = value
        } else if let d = try? container.decode(Double.self), d.isFinite {
            guard d == 0 || (abs(d) >= 1e-100 && abs(d) < 1e100) else { throw malformed() }
            if abs(d) < 0.0000005 {
                self = .int(0)
            } else if abs(d) >= 0x1p63 {
                self = .number(d < 0 ? -.infinity : .infinity)
            } else {
                guard let value = JSONNumber.fieldValue("\(d)") else { throw malformed() }
                self = value
            }
        } else {
            throw malformed()
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .number(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        }
    }
}

extension FieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension FieldValue: CustomStringConvertible {
    /// The canonical JSON text of the value.
    public var description: String { CanonicalJSON.text(of: self) }
}
