public import SyncModel
import Foundation

/// The resumable position of a snapshot: the hub log position it was taken at and the last
/// record already examined. On the wire it is opaque text (base64url of a small JSON object).
public struct SnapshotToken: Hashable, Sendable, Codable {
    /// The hub log position at the first page: where the station pulls from afterwards.
    public var cursor: Int64
    /// The last record examined; the next page starts after it.
    public var after: RecordKey

    /// Creates a token.
    public init(cursor: Int64, after: RecordKey) {
        self.cursor = cursor
        self.after = after
    }

    enum CodingKeys: String, CodingKey { case cursor = "c", type = "t", id = "i" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.cursor = try c.decode(Int64.self, forKey: .cursor)
        self.after = RecordKey(type: try c.decode(String.self, forKey: .type), id: try c.decode(String.self, forKey: .id))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cursor, forKey: .cursor)
        try c.encode(after.type, forKey: .type)
        try c.encode(after.id, forKey: .id)
    }

    /// The token's wire text.
    public var text: String {
        let json = (try? JSONEncoder().encode(self)) ?? Data()
        return json.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Parses wire text; `nil` when it is not a token this hub issues.
    public init?(text: String) {
        guard text.count <= 1_024 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let token = try? JSONDecoder().decode(SnapshotToken.self, from: data),
            token.cursor >= 0
        else { return nil }
        self = token
    }
}
