/// The version of one write: the writer's clock and its site. Versions are totally ordered,
/// by `hlc` first and then by `site`, so that every replica picks the same winner.
///
/// The text form is `<hlc>-<site>`, 33 characters of fixed width, which sorts the same way
/// as the versions themselves: `0190a3b4c5d60001-9f8e7d6c5b4a3921`.
public struct Version: Hashable, Comparable, Sendable {
    /// The writer's hybrid logical clock at the write.
    public var hlc: HLC
    /// The writer's site.
    public var site: SiteID

    /// Creates a version.
    public init(hlc: HLC, site: SiteID) {
        self.hlc = hlc
        self.site = site
    }

    public static func < (lhs: Version, rhs: Version) -> Bool {
        (lhs.hlc, lhs.site) < (rhs.hlc, rhs.site)
    }

    /// The 33-character text form `<hlc>-<site>`.
    public var text: String { hlc.hex + "-" + site.hex }

    /// Parses the text form; `nil` if it is malformed.
    public init?(text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 33, utf8[16] == UInt8(ascii: "-"),
            let hlc = HexText.decode(String(decoding: utf8[0..<16], as: UTF8.self)),
            let site = HexText.decode(String(decoding: utf8[17..<33], as: UTF8.self))
        else { return nil }
        self.hlc = HLC(rawValue: hlc)
        self.site = SiteID(rawValue: site)
    }
}

extension Version: CustomStringConvertible {
    public var description: String { text }
}

extension Version: WireText {
    public init?(wireText: String) { self.init(text: wireText) }
    public var wireText: String { text }
    public static let wireFormat = "a version is <16 hex hlc>-<16 hex site>"

    public init(from decoder: any Decoder) throws { self = try Self.decodeWireText(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try encodeWireText(to: encoder) }
}
