public import Foundation
public import Logging
public import SyncModel
import SyncStore

extension Station {
    /// Asks the hub at `hub` who the holder of `token` is — its org unit and name — without
    /// a replica, so that `tributary init --hub --token` can bind the new station to it.
    ///
    /// - Parameter certificateAuthority: PEM text of a certificate authority to trust for the
    ///   hub besides the system's (the county's own CA).
    public static func identify(
        hub: URL, token: String, schema: Schema? = nil, retry: RetryPolicy = RetryPolicy(attempts: 2),
        certificateAuthority: String? = nil
    ) async throws(SyncError) -> WhoAmIResponse {
        let schema = try Self.schema(schema)
        let transport = HTTPTransport(
            configuration: .init(
                hub: hub, token: token, schemaTag: WireProtocol.schemaTag(schema), retry: retry,
                certificateAuthorities: certificateAuthority))
        return try await transport.whoami()
    }

    /// Keeps `pem` (a certificate authority's certificate, PEM) in the replica as the one to
    /// trust for the hub besides the system's, for every request from now on; `nil` forgets it.
    /// The text is copied, so moving or deleting the file it came from changes nothing.
    ///
    /// - Throws: `bad_request` when `pem` holds no PEM certificate.
    public func setCertificateAuthority(_ pem: String?) throws(SyncError) {
        if let pem { try TransportTrust.check(pem, source: "the certificate authority file") }
        try store.write { db in
            if let pem { try Meta.hubCA.write(pem, db) } else { try Meta.hubCA.delete(db) }
        }
    }

    /// Checks that `pem` holds a PEM certificate, naming `source` (a file) otherwise.
    public static func checkCertificateAuthority(_ pem: String, source: String) throws(SyncError) {
        try TransportTrust.check(pem, source: source)
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
                hub: hub, token: token, schemaTag: WireProtocol.schemaTag(schema), timeout: timeout, retry: retry,
                certificateAuthorities: settings.certificateAuthority))
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
