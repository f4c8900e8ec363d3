public import SyncModel

/// The way a station reaches its hub: HTTP in production, in-process in tests. Every call
/// either returns the hub's answer or throws a ``SyncError`` whose code says what went wrong
/// (`hub_unreachable`, `token_revoked`, `protocol_mismatch`, `seq_gap`, …).
public protocol ChangeTransport: Sendable {
    /// Sends a batch of the station's own changes (`POST /v1/push`).
    func push(_ request: PushRequest) async throws(SyncError) -> PushResponse
    /// Fetches changes past `cursor` (`GET /v1/pull`).
    func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse
    /// Fetches one page of the scope's current state (`GET /v1/snapshot`).
    func snapshot(page: String?, limit: Int) async throws(SyncError) -> SnapshotPage
    /// Asks the hub who this station is (`GET /v1/whoami`).
    func whoami() async throws(SyncError) -> WhoAmIResponse
    /// Asks the hub for the digest of what this station sees (`GET /v1/digest`).
    func scopeDigest() async throws(SyncError) -> DigestResponse
    /// Fetches a version of the hub's schema, the current one when `nil` (`GET /v1/schema`).
    func schema(version: Int?) async throws(SyncError) -> Schema
    /// Fetches the names of the sites whose changes the station receives (`GET /v1/sites`).
    func sites() async throws(SyncError) -> SitesResponse
}

extension ChangeTransport {
    /// A transport that cannot name sites (a test fake): `not_found`, which a sync round ignores.
    public func sites() async throws(SyncError) -> SitesResponse {
        throw SyncError(.notFound, "this transport names no sites")
    }
}

extension SyncError {
    /// Whether trying again later may succeed: the hub was unreachable, busy, rate-limiting,
    /// out of disk or failing, as opposed to refusing the request for a reason that will not
    /// go away by itself.
    public var isRetryable: Bool {
        [.unreachable, .unavailable, .internalError, .busy, .rateLimited, .diskFull, .readOnly].contains(code)
    }
}
