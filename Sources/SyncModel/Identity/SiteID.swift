/// The identity of one replica (a station or a hub): 64 random bits, written on the wire as
/// 16 lowercase hexadecimal digits. A replica draws its site id once, when it is created, and
/// never shares it.
public struct SiteID: RawRepresentable, Hashable, Comparable, Sendable {
    /// The 64-bit value.
    public var rawValue: UInt64

    /// Creates a site id from its 64-bit value.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses the 16-digit hexadecimal wire form; `nil` if it is malformed.
    public init?(hex: some StringProtocol) {
        guard let value = HexText.decode(hex) else { return nil }
        self.rawValue = value
    }

    /// A fresh random site id (never zero).
    public static func random() -> SiteID {
        var generator = SystemRandomNumberGenerator()
        return SiteID(rawValue: UInt64.random(in: 1...UInt64.max, using: &generator))
    }

    /// The 16-digit lowercase hexadecimal form used on the wire.
    public var hex: String { HexText.encode(rawValue) }

    public static func < (lhs: SiteID, rhs: SiteID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension SiteID: CustomStringConvertible {
    public var description: String { hex }
}

extension SiteID: WireText {
    public init?(wireText: String) { self.init(hex: wireText) }
    public var wireText: String { hex }
    public static let wireFormat = "a site id is 16 lowercase hex digits"

    public init(from decoder: any Decoder) throws { self = try Self.decodeWireText(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try encodeWireText(to: encoder) }
}
