/// A hybrid logical clock timestamp: the high 48 bits are milliseconds since the Unix
/// epoch, the low 16 bits a counter that orders events within one millisecond.
///
/// On the wire an `HLC` is 16 lowercase hexadecimal digits, so that every JSON parser keeps
/// it exact and so that the text sorts the same way as the number.
public struct HLC: RawRepresentable, Hashable, Comparable, Sendable {
    /// The packed 64-bit value.
    public var rawValue: UInt64

    /// The earliest possible timestamp.
    public static let zero = HLC(rawValue: 0)

    /// Creates a timestamp from its packed 64-bit value.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Creates a timestamp from milliseconds since the epoch and a counter.
    public init(millis: UInt64, counter: UInt16) {
        precondition(millis < (1 << 48), "HLC milliseconds exceed 48 bits")
        self.rawValue = (millis << 16) | UInt64(counter)
    }

    /// Milliseconds since the Unix epoch.
    public var millis: UInt64 { rawValue >> 16 }

    /// The counter within the millisecond.
    public var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    /// The 16-digit lowercase hexadecimal form used on the wire.
    public var hex: String { HexText.encode(rawValue) }

    /// Parses the 16-digit hexadecimal wire form; `nil` if it is malformed.
    public init?(hex: some StringProtocol) {
        guard let value = HexText.decode(hex) else { return nil }
        self.rawValue = value
    }

    public static func < (lhs: HLC, rhs: HLC) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension HLC: CustomStringConvertible {
    public var description: String { hex }
}

extension HLC: WireText {
    public init?(wireText: String) { self.init(hex: wireText) }
    public var wireText: String { hex }
    public static let wireFormat = "an hlc is 16 lowercase hex digits"

    public init(from decoder: any Decoder) throws { self = try Self.decodeWireText(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try encodeWireText(to: encoder) }
}
