import SyncModel

/// The refusals of a station's token or site, worded so that they lead to what works (SPEC §10
/// "Stations and sites"): a replica's unsent changes can only be delivered by its own station,
/// with a new token for it when the old one is gone (`tributary-hub station rotate`).
enum StationAccessRefusal {
    /// A revoked station's token.
    static func revoked(_ id: String) -> SyncError {
        SyncError(
            .tokenRevoked,
            "station \(id)'s token was revoked; ask the county to issue it a new one with `tributary-hub station rotate \(id)` (not `station add`, whose new station could not send this replica's unsent changes), then run `tributary remote set --hub URL --token NEW` at the station")
    }

    /// A token that `station rotate` replaced.
    static func replaced(_ id: String) -> SyncError {
        SyncError(
            .tokenRevoked,
            "station \(id)'s token was replaced by a new one (tributary-hub station rotate); run `tributary remote set --hub URL --token NEW` at the station with the token the county gave for it")
    }

    /// A bundle signed with the key of a token that `station rotate` replaced.
    static func replacedBundleKey(_ id: String) -> SyncError {
        SyncError(
            .tokenRevoked,
            "this bundle was signed with station \(id)'s old token, which `tributary-hub station rotate` replaced; at the station run `tributary remote set --hub URL --token NEW --offline` with its new token, then export again (the changes are still in its outbox)")
    }

    /// A push from an unbound token whose site is already `owner`'s (or, with no owner, the
    /// hub's or a relayed site's): the usual cause is a replica whose station was registered
    /// anew (`station add`) where it needed a new token (`station rotate`).
    static func siteTaken(_ site: SiteID, owner: String?) -> SyncError {
        guard let owner else {
            return SyncError(.wrongSite, "site \(site) belongs to another replica; a station pushes only its own changes")
        }
        return SyncError(
            .wrongSite,
            "site \(site) belongs to station \(owner); if this replica is that station's, ask the county for its new token (`tributary-hub station rotate \(owner)`) and run `tributary remote set --hub URL --token NEW` with it instead of this one")
    }

    /// A push or bundle from a site other than the one station `id` is bound to.
    static func otherSite(_ site: SiteID, station id: String, bound: SiteID) -> SyncError {
        SyncError(
            .wrongSite,
            "station \(id) pushes as site \(bound), not \(site): a replica made anew (init --force) needs a station of its own (`tributary-hub station add`); the replica of site \(bound) still sends its changes with this token")
    }
}
