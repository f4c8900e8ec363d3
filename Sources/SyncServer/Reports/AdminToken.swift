/// An administrator's token for reports and the dashboard. The hub keeps only its SHA-256.
public struct AdminToken: Hashable, Sendable, Codable {
    /// The token id, e.g. `ad-3f9c2a1b7d04`.
    public var id: String
    /// A name for people (who holds it).
    public var name: String
    /// Whether the token was revoked.
    public var revoked: Bool
    /// When the token was created, in milliseconds since the epoch.
    public var created: UInt64

    /// Creates an admin token value.
    public init(id: String, name: String, revoked: Bool = false, created: UInt64) {
        self.id = id
        self.name = name
        self.revoked = revoked
        self.created = created
    }
}
