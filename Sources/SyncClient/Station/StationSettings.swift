public import Foundation

/// What a station knows about itself: the org unit it is bound to, its name and the hub it
/// syncs with. Kept in the replica file's `meta` table.
public struct StationSettings: Hashable, Sendable {
    /// The org unit the station is bound to; it may write only inside that unit's subtree.
    public var org: String
    /// The station's display name, if one was given.
    public var name: String?
    /// The hub's base URL; `nil` for a station that only works offline (so far).
    public var hub: URL?
    /// The bearer token presented to the hub. Never printed.
    public var token: String?
    /// When the station last finished a sync successfully, in milliseconds since the Unix epoch.
    public var lastSyncMillis: UInt64?
    /// The certificate authority (PEM) trusted for the hub besides the system's, if one was given.
    public var certificateAuthority: String?

    /// Creates station settings.
    public init(
        org: String, name: String? = nil, hub: URL? = nil, token: String? = nil, lastSyncMillis: UInt64? = nil,
        certificateAuthority: String? = nil
    ) {
        self.org = org
        self.name = name
        self.hub = hub
        self.token = token
        self.lastSyncMillis = lastSyncMillis
        self.certificateAuthority = certificateAuthority
    }
}
