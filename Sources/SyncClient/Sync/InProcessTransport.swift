public import SyncModel

/// A transport that calls functions in the same process: tests wire it straight to a hub's
/// handlers (or to a fake) with no network in between.
public struct InProcessTransport: ChangeTransport {
    /// Handles a push.
    public var onPush: @Sendable (PushRequest) async throws(SyncError) -> PushResponse
    /// Handles a pull.
    public var onPull: @Sendable (Int64, Int) async throws(SyncError) -> PullResponse
    /// Handles a snapshot page request.
    public var onSnapshot: @Sendable (String?, Int) async throws(SyncError) -> SnapshotPage
    /// Handles whoami.
    public var onWhoami: @Sendable () async throws(SyncError) -> WhoAmIResponse
    /// Handles the scope digest.
    public var onDigest: @Sendable () async throws(SyncError) -> DigestResponse
    /// Handles a schema request.
    public var onSchema: @Sendable (Int?) async throws(SyncError) -> Schema
    /// Handles a request for site names.
    public var onSites: @Sendable () async throws(SyncError) -> SitesResponse

    /// Creates a transport from handlers.
    public init(
        push: @escaping @Sendable (PushRequest) async throws(SyncError) -> PushResponse,
        pull: @escaping @Sendable (Int64, Int) async throws(SyncError) -> PullResponse,
        snapshot: @escaping @Sendable (String?, Int) async throws(SyncError) -> SnapshotPage,
        whoami: @escaping @Sendable () async throws(SyncError) -> WhoAmIResponse,
        digest: @escaping @Sendable () async throws(SyncError) -> DigestResponse,
        schema: @escaping @Sendable (Int?) async throws(SyncError) -> Schema = { _ throws(SyncError) in
            throw SyncError(.notFound, "this transport serves no schema")
        },
        sites: @escaping @Sendable () async throws(SyncError) -> SitesResponse = { () throws(SyncError) in
            throw SyncError(.notFound, "this transport names no sites")
        }
    ) {
        self.onSites = sites
        self.onSchema = schema
        self.onDigest = digest
        self.onPush = push
        self.onPull = pull
        self.onSnapshot = snapshot
        self.onWhoami = whoami
    }

    public func push(_ request: PushRequest) async throws(SyncError) -> PushResponse { try await onPush(request) }
    public func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse { try await onPull(cursor, limit) }
    public func snapshot(page: String?, limit: Int) async throws(SyncError) -> SnapshotPage {
        try await onSnapshot(page, limit)
    }
    public func whoami() async throws(SyncError) -> WhoAmIResponse { try await onWhoami() }
    public func scopeDigest() async throws(SyncError) -> DigestResponse { try await onDigest() }
    public func schema(version: Int?) async throws(SyncError) -> Schema { try await onSchema(version) }
    public func sites() async throws(SyncError) -> SitesResponse { try await onSites() }
}
