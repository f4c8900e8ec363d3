import Foundation
import Hummingbird
import HTTPTypes
import Logging
import SyncModel

/// Checks every `/v1` request before anything is read or applied, in this order: the
/// protocol version (426 `protocol_mismatch`), the schema (409 `schema_mismatch`), then the
/// bearer token (401 `unauthorized` / `token_revoked`, never cached: a revoked token is
/// refused on its next request), then the token's rate limit (429). Sets the context's station.
struct ProtocolMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    let store: any HubStore
    let metrics: HubMetrics
    let limits: HubLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            try Self.checkVersions(request, schema: store.schema)
        } catch let error as HubError where error.body.error.code == .schemaMismatch {
            // A newer version another hub process (or `schema apply`) stored since this
            // process last looked: look again before refusing.
            try Self.checkVersions(request, schema: try await store.currentSchema())
        }
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer "),
            case let token = authorization.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces), !token.isEmpty
        else {
            throw HubError(.unauthorized, .unauthorized, "send the station token as Authorization: Bearer <token>")
        }
        var context = context
        let station = try await store.authenticate(token: token)
        try limits.admit("station:\(station.id)", who: "station \(station.id)", context: context)
        context.station = station
        context.logger[metadataKey: "hub.station"] = .string(station.id)
        return try await next(request, context)
    }

    /// Checks the protocol version (426 `protocol_mismatch`) and the schema (409
    /// `schema_mismatch`) headers; shared with the report routes.
    static func checkVersions(_ request: Request, schema: Schema) throws {
        let version = request.headers[HTTPFields.versionName]
        guard let version, Int(version) == WireProtocol.version else {
            throw HubError(
                .upgradeRequired, .protocolMismatch,
                "this hub speaks protocol \(WireProtocol.version) (header \(WireProtocol.versionHeader)); got \(version.map { "\"\($0.prefix(20))\"" } ?? "none"): update the station",
                hubProtocol: WireProtocol.version)
        }
        // The same schema at a version no newer than the hub's (SPEC §9): a station weeks
        // offline still pushes under the version it holds.
        let stated = request.headers[HTTPFields.schemaName]
        if let refusal = WireProtocol.schemaRefusal(stated ?? "", current: schema) {
            throw HubError(
                .conflict, .schemaMismatch,
                "this hub holds schema \(WireProtocol.schemaTag(schema)) (header \(WireProtocol.schemaHeader)); got \(stated.map { "\"\($0.prefix(40))\"" } ?? "none"): \(refusal.message)")
        }
    }
}

extension HTTPFields {
    /// `Tributary-Protocol`.
    static let versionName = HTTPField.Name(WireProtocol.versionHeader)!
    /// `Tributary-Schema`.
    static let schemaName = HTTPField.Name(WireProtocol.schemaHeader)!
}
