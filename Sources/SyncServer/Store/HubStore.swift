public import SyncModel

/// Where the hub keeps everything: the replica (records, field versions, the global change
/// log whose positions are the pull cursors), the station registry, the org tree, per-site
/// acknowledged seqs and refusals.
///
/// ``SQLiteHubStore`` is the default; a PostgreSQL store for several hub processes can
/// implement the same protocol. Every method is one consistent transaction.
public protocol HubStore: Sendable {
    /// The schema every change is checked against.
    var schema: Schema { get }
    /// The hub replica's own site (used for its own writes, such as the org tree).
    var siteID: SiteID { get }

    // MARK: Stations

    /// The station holding `token`; throws `unauthorized` for an unknown token and
    /// `token_revoked` for a revoked one.
    func authenticate(token: String) async throws -> HubStation
    /// Registers a station bound to org unit `org` and returns it with its token (shown once).
    func addStation(name: String, org: String) async throws -> (station: HubStation, token: String)
    /// Every station, by id.
    func stations() async throws -> [HubStation]
    /// Revokes a station's token; throws `not_found` for an unknown id.
    func revokeStation(id: String) async throws -> HubStation
    /// Issues a new token for station `id` — same station, org unit and site, so the replica
    /// that holds it can still deliver its unsent changes — and retires the old token (a
    /// request or bundle made with it is `token_revoked`, naming the station). Returns the
    /// station, no longer revoked, with the new token (shown once). `not_found` for an unknown id.
    func rotateStation(id: String) async throws -> (station: HubStation, token: String)

    // MARK: Org tree

    /// Adds or updates org units (parents before children is not required) and writes them
    /// as `orgUnit` records of the hub so that stations receive the tree.
    func importOrgUnits(_ units: [HubOrgUnit]) async throws -> OrgImportReport
    /// Every org unit, in path order.
    func orgUnits() async throws -> [HubOrgUnit]
    /// What a station bound to `org` may see and write.
    func scope(of org: String) async throws -> StationScope

    // MARK: Schemas (SPEC §9)

    /// Every version of the hub's schema, oldest first; the last is the one changes are
    /// checked against (``schema``).
    func schemas() async throws -> [Schema]
    /// Makes `schema` the current one; throws `schema_incompatible` unless it is a compatible
    /// successor of the current one.
    func applySchema(_ schema: Schema) async throws -> Schema
    /// The current schema, looked up again: another hub process (or `tributary-hub schema
    /// apply`) may have stored a newer one since ``schema`` was read.
    func currentSchema() async throws -> Schema

    // MARK: Sync

    /// Applies a push from `station`; see Protocol/SPEC.md "Hub".
    func push(_ changes: [Change], from station: HubStation, context: ValidationContext) async throws -> PushResponse
    /// Changes (and moved records) in the station's scope after `cursor`.
    func pull(for station: HubStation, after cursor: Int64, limit: Int) async throws -> PullResponse
    /// One snapshot page of the station's scope; `token` `nil` starts a new snapshot.
    func snapshot(for station: HubStation, token: SnapshotToken?, limit: Int) async throws -> SnapshotPage
    /// The digest of the station's view (the whole hub when `station` is `nil`).
    func digest(for station: HubStation?) async throws -> DigestResponse
    /// The digest of each record of the station's view (the whole hub when `station` is
    /// `nil`), in canonical order, over exactly the records and fields ``digest(for:)`` hashes.
    func recordDigests(for station: HubStation?) async throws -> [RecordDigest]
    /// The change feed: log entries after `position`, in log order, at most `limit`.
    func log(after position: Int64, limit: Int) async throws -> LogPage

    // MARK: County view (reports and dashboard)

    /// Creates an admin token for reports and the dashboard and returns it (shown once).
    func addAdminToken(name: String) async throws -> (admin: AdminToken, token: String)
    /// Every admin token, by id.
    func adminTokens() async throws -> [AdminToken]
    /// Revokes an admin token; throws `not_found` for an unknown id.
    func revokeAdminToken(id: String) async throws -> AdminToken
    /// The admin holding `token`; `nil` when it is no admin token, `token_revoked` when revoked.
    func authenticateAdmin(token: String) async throws -> AdminToken?
    /// Computes a report over the hub's current records (deleted ones excluded).
    func report(_ report: HubReport, query: ReportQuery) async throws -> ReportTable

    /// Every live (not deleted) record of `type`, in id order, with its merged state and its
    /// place: what the generic reports (counts and the export of any type, SPEC §12) are built
    /// from, in Swift over the org tree, so they work for types no code names. Empty for a type
    /// the hub holds no record of.
    func records(ofType type: String) async throws -> [HubRecord]

    /// Opens a dashboard session for whoever holds `token` (already authenticated) and returns
    /// its id, the cookie's value (32 random bytes in hex, stored only as its SHA-256). The
    /// token's sessions beyond its newest `maxPerToken` end.
    func openSession(token: String, lifetimeMillis: UInt64, maxPerToken: Int) async throws -> String
    /// The viewer of the live session `id`; `nil` for an unknown or expired one; `token_revoked`
    /// or `unauthorized` when the token it was opened with was revoked or is no longer known.
    func session(id: String) async throws -> ReportViewer?
    /// Ends the session `id` (nothing happens for an unknown one).
    func closeSession(id: String) async throws

    // MARK: Offline bundles and backups (SPEC §13, §14)

    /// The hub's log epoch, renewed by every restore from a backup.
    func epoch() async throws -> String?
    /// The station whose bundles are signed with the Ed25519 public key `publicKey` (hex),
    /// with what the hub keeps to authenticate its bundles; `nil` when none is, and
    /// `token_revoked` when the key is that of a token `station rotate` replaced.
    func bundleStation(publicKey: String) async throws -> BundleStation?
    /// The station `id` with what the hub keeps to authenticate its bundles; `not_found` when unknown.
    func bundleStation(id: String) async throws -> BundleStation
    /// Notes where a station stood (pull cursor and its epoch) when it wrote an imported bundle.
    func recordBundleCursor(station: String, cursor: Int64?, epoch: String?) async throws
    /// The station's changes the hub refused, by seq, with the hub's current state of the
    /// records they name as the station sees them (what a push answer carries, SPEC §13).
    func refusals(of station: HubStation) async throws -> StationRefusals
    /// Writes a consistent copy of the whole hub to a new file at `path` while the hub serves;
    /// the copy gets an epoch of its own.
    func backup(to path: String) async throws -> BackupReport

    // MARK: Administration

    /// The canonical dump of the whole hub.
    func dump() async throws -> [UInt8]
    /// Drops log entries older than `retentionMillis` that no longer decide anything.
    func compact(retentionMillis: UInt64) async throws -> CompactReport
    /// Why pushes would be refused now (`read_only`, `disk_full`, with the operator's
    /// sentence), or `nil` when the store can take them; `/healthz` reports it.
    func writeProblem() async -> SyncError?
}

/// A station's refused changes with the hub's state of the records they name.
public struct StationRefusals: Hashable, Sendable {
    /// The refusals, by seq.
    public var refusals: [PushRefusal]
    /// The hub's current state of the records they name, as the station sees them.
    public var records: [SnapshotRecord]

    /// Creates the value.
    public init(refusals: [PushRefusal], records: [SnapshotRecord]) {
        self.refusals = refusals
        self.records = records
    }
}
