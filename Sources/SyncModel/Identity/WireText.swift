/// A value that travels as one fixed-format JSON string (clocks, site ids, versions).
/// Conforming types implement `Codable` by calling ``decodeWireText(from:)`` and
/// ``encodeWireText(to:)``, which read and write that text and refuse anything malformed.
public protocol WireText: Codable {
    /// Parses the text form; `nil` if it is malformed.
    init?(wireText: String)
    /// The text form.
    var wireText: String { get }
    /// What the text must look like, for the error message of a malformed value.
    static var wireFormat: String { get }
}

extension WireText {
    /// Decodes the value from its text form.
    public static func decodeWireText(from decoder: any Decoder) throws -> Self {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(wireText: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\(Self.wireFormat), got \"\(text.prefix(40))\""))
        }
        return value
    }

    /// Encodes the value as its text form.
    public func encodeWireText(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireText)
    }
}
