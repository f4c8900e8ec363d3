import Foundation

/// One cell of a report: text, a whole number, a decimal number, or nothing.
public enum ReportValue: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Text (names, ids, dates, localised labels).
    case text(String)
    /// A count or other whole number.
    case int(Int64)
    /// A decimal (hours, averages), rounded to two places when shown.
    case number(Double)
    /// No value (an average over nothing, a median of no finished order).
    case null

    /// The value as a table cell or CSV field: numbers with at most two decimals, null empty.
    public var description: String {
        switch self {
        case .text(let text): text
        case .int(let int): String(int)
        case .number(let number): Self.format(number)
        case .null: ""
        }
    }

    /// The numeric value, if any.
    public var double: Double? {
        switch self {
        case .int(let int): Double(int)
        case .number(let number): number
        default: nil
        }
    }

    /// `number` with at most two decimals and no trailing zeros (`12.5`, `3`, `-0.25`).
    static func format(_ number: Double) -> String {
        let rounded = (number * 100).rounded() / 100
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let int = try? container.decode(Int64.self) {
            self = .int(int)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .int(let int): try container.encode(int)
        case .number(let number): try container.encode((number * 100).rounded() / 100)
        case .null: try container.encodeNil()
        }
    }
}
