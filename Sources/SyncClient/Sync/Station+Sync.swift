public import Foundation
public import Logging
public import SyncModel
import SyncStore

extension Station {
    /// Asks the hub at `hub` who the holder of `token` is — its org unit and name — without
    /// a replica, so that `tributary init --hub --token` can bind the new station to it.
    public static func identify(
        hub: URL, token: String, schema: Schema? = nil, retry: RetryPolicy = RetryPolicy(attempts: 2)
    ) async throws(SyncError) -> WhoAmIResponse {
        let schema = try Self.schema(schema)
        let transport = HTTPTransport(
            configuration: .init(hub: hub, token: token, schemaTag: WireProtocol.schemaTag(schema), retry: retry))
        return try await transport.whoami()
    }

    /// Points the station at a hub (or another token for the same hub).
    public func setRemote(hub: URL, token: String) throws(SyncError) {
        guard let scheme = hub.scheme, ["http", "https"].contains(scheme), hub.host != nil else {
            throw SyncError(.badRequest, "\(hub.absoluteString) is not an http:// or https:// URL")
        }
        try store.write { db in
            try Meta.hubURL.write(hub.absoluteString, db)
            try Meta.token.write(token, db)
        }
    }

    /// The HTTP transport to the hub this station is set up for.
    public func httpTransport(retry: RetryPolicy = RetryPolicy(), timeout: Double = 60) throws(SyncError) -> HTTPTransport {
        let settings = try settings()
        guard let hub = settings.hub, let token = settings.token else {
            throw SyncError(
                .notFound,
                "this station has no hub yet; run `tributary remote set --hub URL --token TOKEN` (or init with --hub/--token)")
        }
        return HTTPTransport(
            configuration: .init(
                hub: hub, token: token, schemaTag: WireProtocol.schemaTag(schema), timeout: timeout, retry: retry))
    }

    /// A sync engine for this station over `transport` (HTTP to its hub by default).
    public func syncEngine(
        transport: (any ChangeTransport)? = nil, configuration: SyncEngine.Configuration = .init(), logger: Logger
    ) throws(SyncError) -> SyncEngine {
        let chosen: any ChangeTransport
        if let transport { chosen = transport } else { chosen = try httpTransport() }
        return SyncEngine(store: store, transport: chosen, configuration: configuration, logger: logger)
    }
}
