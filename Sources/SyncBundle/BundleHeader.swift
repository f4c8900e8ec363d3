public import SyncModel

/// Which way a bundle goes.
public enum BundleKind: String, Sendable, Codable {
    /// A station's own changes (and where it stands) for its hub: `tributary export`.
    case station
    /// The hub's answer for one station — what a pull would bring, and what the hub holds of
    /// the station's changes: `tributary-hub export`.
    case hub
}

/// The second line of a bundle: what it is, who made it for whom, and how its content is
/// stored. Readable before anything is verified, so that the reader can pick the key.
public struct BundleHeader: Hashable, Sendable, Codable {
    /// The direction.
    public var kind: BundleKind
    /// When the bundle was written, milliseconds since the Unix epoch.
    public var created: UInt64
    /// The protocol version of the writer.
    public var `protocol`: Int
    /// The schema of the writer, `<name>/<version>`.
    public var schema: String
    /// How the content is compressed: `gzip`.
    public var compression: String
    /// The length of the stored (compressed) content in bytes.
    public var contentLength: Int
    /// SHA-256 of the stored (compressed) content, lowercase hex.
    public var contentSHA256: String
    /// The station's site (always in a station bundle; in a hub bundle once the station has pushed).
    public var site: SiteID?
    /// The station's org unit.
    public var org: String
    /// A station bundle: the station's Ed25519 public key (64 hex). A hub bundle: the id of
    /// the MAC key (16 hex), which tells a bundle for another station from a tampered one.
    public var key: String
    /// A hub bundle: the station id at the hub.
    public var station: String?
    /// A hub bundle: the hub replica's site.
    public var hub: SiteID?
    /// A station bundle: the station's name, if it has one.
    public var name: String?

    /// Creates a header.
    public init(
        kind: BundleKind, created: UInt64, protocol: Int = WireProtocol.version, schema: String, compression: String = "gzip",
        contentLength: Int = 0, contentSHA256: String = "", site: SiteID?, org: String, key: String, station: String? = nil,
        hub: SiteID? = nil, name: String? = nil
    ) {
        self.kind = kind
        self.created = created
        self.protocol = `protocol`
        self.schema = schema
        self.compression = compression
        self.contentLength = contentLength
        self.contentSHA256 = contentSHA256
        self.site = site
        self.org = org
        self.key = key
        self.station = station
        self.hub = hub
        self.name = name
    }
}

extension BundleHeader {
    /// Refuses a bundle of another protocol version (`protocol_mismatch`), as a hub refuses
    /// such a request; both sides check this first.
    public func checkProtocol() throws(SyncError) {
        guard self.protocol == WireProtocol.version else {
            throw SyncError(
                .protocolMismatch, "the bundle speaks protocol v\(self.protocol); this program speaks v\(WireProtocol.version) — upgrade")
        }
    }
}
