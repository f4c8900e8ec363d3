package import SyncStore

extension Meta {
    /// The org unit the station is bound to (its scope root).
    package static let org = Meta(key: "org")
    /// The station's display name, e.g. 桃城镇.
    package static let stationName = Meta(key: "station_name")
    /// The hub's base URL, when the station syncs with one.
    package static let hubURL = Meta(key: "hub_url")
    /// The bearer token the station presents to the hub.
    package static let token = Meta(key: "token")
    /// The certificate authority (PEM text) the station trusts for its hub besides the system's:
    /// the county's own CA, copied in by `tributary remote set --ca FILE`.
    package static let hubCA = Meta(key: "hub_ca")
    /// When the station last finished a sync successfully: milliseconds since the Unix
    /// epoch, as decimal text.
    package static let lastSync = Meta(key: "last_sync")
    /// The names of the sites whose changes the station receives, as the hub last gave them
    /// (`GET /v1/sites`): a JSON object of site (hex) → name, for `explain`.
    package static let siteNames = Meta(key: "site_names")
    /// The hub log position to pull from next, as decimal text.
    package static let pullCursor = Meta(key: "pull_cursor")
}
