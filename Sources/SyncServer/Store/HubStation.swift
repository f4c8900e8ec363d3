public import SyncModel

/// A registered station: a token bound to one org unit and, from its first push, one site.
public struct HubStation: Hashable, Sendable, Codable {
    /// The station id, e.g. `st-3f9c2a1b7d04`.
    public var id: String
    /// A name for people, e.g. 桃城镇工作站.
    public var name: String
    /// The org unit the station is bound to: it sees that subtree and its ancestors.
    public var org: String
    /// The replica site the station pushes as, once it has pushed.
    public var site: SiteID?
    /// Whether the token was revoked.
    public var revoked: Bool
    /// When the station was registered, in milliseconds since the epoch.
    public var created: UInt64
    /// When the station last pushed, pulled or fetched a snapshot page.
    public var lastContact: UInt64?
    /// The highest seq of its site the hub holds.
    public var acked: UInt64
    /// How many of its changes the hub refused.
    public var refusals: Int

    /// Creates a station value.
    public init(
        id: String, name: String, org: String, site: SiteID? = nil, revoked: Bool = false, created: UInt64,
        lastContact: UInt64? = nil, acked: UInt64 = 0, refusals: Int = 0
    ) {
        self.id = id
        self.name = name
        self.org = org
        self.site = site
        self.revoked = revoked
        self.created = created
        self.lastContact = lastContact
        self.acked = acked
        self.refusals = refusals
    }
}

/// One org unit of the hub's tree.
public struct HubOrgUnit: Hashable, Sendable, Codable {
    /// The unit id, e.g. `yc-t01-c03`.
    public var id: String
    /// The unit's name.
    public var name: String
    /// The unit's level (county, township, street, community, village, grid, building).
    public var kind: String
    /// The parent unit, `nil` for the root.
    public var parentId: String?
    /// The form of the unit's organisation (committee, generalBranch, branch, group).
    public var orgForm: String?
    /// The materialised path, e.g. `/yc/yc-t01/`; set by the store.
    public var path: String?

    /// Creates an org unit.
    public init(id: String, name: String, kind: String, parentId: String? = nil, orgForm: String? = nil, path: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parentId = parentId
        self.orgForm = orgForm
        self.path = path
    }
}

/// What an org tree import did.
public struct OrgImportReport: Hashable, Sendable, Codable {
    /// Units new to the hub.
    public var added: Int
    /// Units whose name, kind, parent or form changed.
    public var updated: Int
    /// Units already as imported.
    public var unchanged: Int
    /// `orgUnit` field writes the hub logged for stations.
    public var changes: Int

    /// Creates a report.
    public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0, changes: Int = 0) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.changes = changes
    }
}

/// What a compaction freed.
public struct CompactReport: Hashable, Sendable, Codable {
    /// Log entries dropped.
    public var droppedLogEntries: Int
    /// Log entries left.
    public var remainingLogEntries: Int

    /// Creates a report.
    public init(droppedLogEntries: Int, remainingLogEntries: Int) {
        self.droppedLogEntries = droppedLogEntries
        self.remainingLogEntries = remainingLogEntries
    }
}
