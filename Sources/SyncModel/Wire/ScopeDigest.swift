/// `GET /v1/digest`: the state digest of what a station sees at the hub, to compare with the
/// station's own digest once it has pulled everything.
public struct ScopeDigest: Hashable, Sendable, Codable {
    /// SHA-256 of the canonical dump of the station's view, lowercase hex.
    public var digest: String
    /// The number of records in that view.
    public var records: Int
    /// The hub log position the digest was taken at.
    public var cursor: Int64

    /// Creates a digest answer.
    public init(digest: String, records: Int, cursor: Int64) {
        self.digest = digest
        self.records = records
        self.cursor = cursor
    }
}
