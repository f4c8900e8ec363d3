import Prometheus
import Logging
import Hummingbird
import SyncModel

/// The sync endpoints of protocol v1: push, pull, snapshot, plus whoami and digest.
struct SyncController {
    let store: any HubStore
    let configuration: HubConfiguration
    let metrics: HubMetrics

    /// The routes, to be added under `/v1` behind the ``ProtocolMiddleware``.
    var routes: RouteCollection<HubRequestContext> {
        let routes = RouteCollection(context: HubRequestContext.self)
        routes.post("push", use: push)
        routes.get("pull", use: pull)
        routes.get("snapshot", use: snapshot)
        routes.get("whoami", use: whoami)
        routes.get("digest", use: digest)
        return routes
    }

    @Sendable func push(_ request: Request, context: HubRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let station = try context.requireStation()
        let body = try await JSONBody.decode(PushRequest.self, from: request, limit: configuration.maxBodyBytes)
        let wall = configuration.wallClock.nowMillis()
        let result = try await store.push(
            body.changes, from: station, context: ValidationContext(wallMillis: wall, maxDriftMillis: configuration.maxDriftMillis))
        metrics.pushes.increment()
        metrics.applied.increment(by: Int64(result.applied))
        metrics.refused.increment(by: Int64(result.refused.count))
        metrics.duplicates.increment(by: Int64(result.duplicates))
        metrics.contact(station: station.id, millis: wall)
        context.logger.info(
            "hub.push",
            metadata: [
                "sync.batch.count": "\(body.changes.count)", "sync.applied": "\(result.applied)",
                "sync.refused": "\(result.refused.count)", "sync.acked": "\(result.acked)",
            ])
        metrics.latency("push").record(ContinuousClock.now - started)
        return try JSONBody.response(result, to: request)
    }

    @Sendable func pull(_ request: Request, context: HubRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let station = try context.requireStation()
        let cursor = try Self.integer(request, "cursor", default: 0, code: .badCursor)
        let limit = try Self.limit(request, default: configuration.pullLimit, max: configuration.maxPullLimit)
        let result = try await store.pull(for: station, after: cursor, limit: limit)
        metrics.pulled.increment(by: Int64(result.changes.count))
        metrics.contact(station: station.id, millis: configuration.wallClock.nowMillis())
        metrics.latency("pull").record(ContinuousClock.now - started)
        return try JSONBody.response(result, to: request)
    }

    @Sendable func snapshot(_ request: Request, context: HubRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let station = try context.requireStation()
        var token: SnapshotToken?
        if let text = request.uri.queryParameters["page"].map(String.init), !text.isEmpty {
            guard let parsed = SnapshotToken(text: text) else {
                throw HubError(.badRequest, .badCursor, "the snapshot page token was not issued by this hub; start the snapshot again")
            }
            token = parsed
        }
        let limit = try Self.limit(request, default: configuration.snapshotLimit, max: configuration.maxPullLimit)
        let page = try await store.snapshot(for: station, token: token, limit: limit)
        metrics.snapshotRecords.increment(by: Int64(page.records.count))
        metrics.contact(station: station.id, millis: configuration.wallClock.nowMillis())
        metrics.latency("snapshot").record(ContinuousClock.now - started)
        return try JSONBody.response(page, to: request)
    }

    @Sendable func whoami(_ request: Request, context: HubRequestContext) async throws -> Response {
        let station = try context.requireStation()
        let body = WhoAmIResponse(
            station: station.id, name: station.name, org: station.org, site: station.site,
            schema: WireProtocol.schemaTag(store.schema), protocol: WireProtocol.version)
        return try JSONBody.response(body, to: request)
    }

    @Sendable func digest(_ request: Request, context: HubRequestContext) async throws -> Response {
        let station = try context.requireStation()
        return try JSONBody.response(try await store.digest(for: station), to: request)
    }

    /// A non-negative integer query parameter.
    static func integer(_ request: Request, _ name: String, default value: Int64, code: SyncErrorCode) throws -> Int64 {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let number = Int64(text), number >= 0 else {
            throw HubError(.badRequest, code, "\(name) is a whole number of 0 or more; got \"\(text.prefix(30))\"")
        }
        return number
    }

    /// The `limit` parameter, defaulted and capped.
    static func limit(_ request: Request, default value: Int, max: Int) throws -> Int {
        let limit = try integer(request, "limit", default: Int64(value), code: .badRequest)
        guard limit >= 1 else { throw HubError(.badRequest, .badRequest, "limit is at least 1") }
        return Int(min(limit, Int64(max)))
    }
}
