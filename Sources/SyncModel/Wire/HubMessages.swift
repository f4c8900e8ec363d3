/// `GET /v1/whoami`: the station a token belongs to, for `tributary init` to learn its org.
public struct WhoAmIResponse: Hashable, Sendable, Codable {
    /// The station id.
    public var station: String
    /// The station's name.
    public var name: String
    /// The org unit the station is bound to.
    public var org: String
    /// The site the station pushes as, once it has pushed.
    public var site: SiteID?
    /// The hub's schema, `<name>/<version>`.
    public var schema: String
    /// The hub's protocol version.
    public var `protocol`: Int

    /// Creates a response.
    public init(station: String, name: String, org: String, site: SiteID?, schema: String, protocol: Int) {
        self.station = station
        self.name = name
        self.org = org
        self.site = site
        self.schema = schema
        self.protocol = `protocol`
    }
}

/// `GET /v1/digest`: the canonical-dump digest of what the station sees, to compare with the
/// station's own `digest()` once it has pulled everything.
public struct DigestResponse: Hashable, Sendable, Codable {
    /// SHA-256 of the canonical dump of the station's view, lowercase hex.
    public var digest: String
    /// The number of records in that view.
    public var records: Int
    /// The hub log position the digest was taken at.
    public var cursor: Int64
    /// With `?detail=records`: the digest of each record of the view, in canonical order, so
    /// that a station whose digest differs can say which records differ.
    public var recordDigests: [RecordDigest]?

    /// Creates a response.
    public init(digest: String, records: Int, cursor: Int64, recordDigests: [RecordDigest]? = nil) {
        self.digest = digest
        self.records = records
        self.cursor = cursor
        self.recordDigests = recordDigests
    }
}

/// The digest of one record: SHA-256 (lowercase hex) of the canonical dump of a replica that
/// held only this record — `{"records":[R],"conflicts":[its conflicts]}` (SPEC §6).
public struct RecordDigest: Hashable, Sendable, Codable {
    /// The record type.
    public var type: String
    /// The record id.
    public var id: String
    /// The record's digest.
    public var digest: String

    /// Creates a record digest.
    public init(type: String, id: String, digest: String) {
        self.type = type
        self.id = id
        self.digest = digest
    }

    /// The record.
    public var key: RecordKey { RecordKey(type: type, id: id) }
}

/// `GET /healthz`.
public struct HealthResponse: Hashable, Sendable, Codable {
    /// `ok`, or `degraded` when the hub answers but cannot store pushes (its database cannot
    /// be written); then ``reason`` says why.
    public var status: String
    /// The hub's protocol version.
    public var `protocol`: Int
    /// The hub's schema, `<name>/<version>`.
    public var schema: String
    /// The hub replica's site.
    public var site: SiteID
    /// The hub's software version (``SoftwareVersion/current``); absent from older hubs.
    public var version: String?
    /// Why the hub is `degraded`: the error code pushes get (`read_only`, `disk_full`).
    public var reason: SyncErrorCode?
    /// What the operator must do about ``reason``, one sentence.
    public var message: String?

    /// Creates a response.
    public init(
        status: String = "ok", protocol: Int, schema: String, site: SiteID, version: String? = SoftwareVersion.current,
        reason: SyncErrorCode? = nil, message: String? = nil
    ) {
        self.status = status
        self.protocol = `protocol`
        self.schema = schema
        self.site = site
        self.version = version
        self.reason = reason
        self.message = message
    }
}

/// `GET /v1/sites`: who wrote the changes a station receives, so that it can name sites
/// (`tributary explain`) instead of showing their hex: the hub's own site, and the site of every
/// station bound to a unit the asking station sees — its subtree and the units above it, the
/// only units whose stations write records in that view (SPEC §10).
public struct SitesResponse: Hashable, Sendable, Codable {
    /// One site with the name of whoever writes as it.
    public struct Entry: Hashable, Sendable, Codable {
        /// The site.
        public var site: SiteID
        /// The station's name, or `hub` for the hub's own site.
        public var name: String
        /// The station id; absent for the hub's own site.
        public var station: String?
        /// The org unit the station is bound to; absent for the hub's own site.
        public var org: String?

        /// Creates an entry.
        public init(site: SiteID, name: String, station: String? = nil, org: String? = nil) {
            self.site = site
            self.name = name
            self.station = station
            self.org = org
        }
    }

    /// The sites, by site id.
    public var sites: [Entry]

    /// Creates a response.
    public init(sites: [Entry]) {
        self.sites = sites
    }
}
