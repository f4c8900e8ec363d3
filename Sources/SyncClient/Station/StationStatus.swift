public import SyncModel

/// A station's state at a glance: who it is, what waits for the hub, what the hub refused,
/// what is in conflict and how many records it holds.
public struct StationStatus: Hashable, Sendable {
    /// The replica file's path.
    public var path: String
    /// The station's site id.
    public var siteID: SiteID
    /// The org unit, name, hub and last successful sync.
    public var settings: StationSettings
    /// Changes waiting in the outbox.
    public var outbox: Int
    /// Own changes the hub refused (kept, shown, out of the merge).
    public var refused: Int
    /// Open conflicts.
    public var conflicts: Int
    /// Live records by type.
    public var records: [String: Int]
    /// Changes in the replica's log (own and received).
    public var logCount: Int
    /// The schema's name and version, e.g. `county-work v1`.
    public var schema: String

    /// Creates a status.
    public init(
        path: String, siteID: SiteID, settings: StationSettings, outbox: Int, refused: Int, conflicts: Int,
        records: [String: Int], logCount: Int, schema: String
    ) {
        self.path = path
        self.siteID = siteID
        self.settings = settings
        self.outbox = outbox
        self.refused = refused
        self.conflicts = conflicts
        self.records = records
        self.logCount = logCount
        self.schema = schema
    }
}
