import Prometheus
import Logging
import Hummingbird
import NIOCore
import SyncModel

/// The sync endpoints of protocol v1: push, pull, snapshot, plus whoami and digest.
struct SyncController {
    let store: any HubStore
    let configuration: HubConfiguration
    let metrics: HubMetrics
    /// Bounds the pushes, pulls and snapshot pages worked on at once (memory at 7 a.m.).
    let admission: SyncAdmission

    init(store: any HubStore, configuration: HubConfiguration, metrics: HubMetrics) {
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.admission = SyncAdmission(limit: configuration.maxConcurrentSyncs)
        self.turns = SyncAdmission(limit: 1, maxWaiting: Self.waitingPerStation)
    }

    /// One push, pull or snapshot request per station token at a time, at most
    /// ``waitingPerStation`` more waiting (SPEC §10 "Admission").
    let turns: SyncAdmission

    /// The requests of one station token that may wait while another of its requests is worked
    /// on; past them 429 `rate_limited`. Two cover a station's prefetched next page and a retry.
    static let waitingPerStation = 2

    /// The routes, to be added under `/v1` behind the ``ProtocolMiddleware``.
    var routes: RouteCollection<HubRequestContext> {
        let routes = RouteCollection(context: HubRequestContext.self)
        routes.post("push", use: admitted(readingBody: true, push))
        routes.get("pull", use: admitted(readingBody: false) { request, context, _ in try await pull(request, context: context) })
        routes.get("snapshot", use: admitted(readingBody: false) { request, context, _ in try await snapshot(request, context: context) })
        routes.get("whoami", use: whoami)
        routes.get("digest", use: digest)
        routes.get("schema", use: schema)
        routes.get("sites", use: sites)
        return routes
    }

    /// `handler`, run in turn (SPEC §10 "Admission"): first the station's own turn (one
    /// request per token at a time), then the body is read — before the request takes one of
    /// the hub's turns, so a slow upload holds no turn while it trickles in (the connection's
    /// body deadline bounds it) — then the hub's turn. A client that goes away while it waits
    /// loses its place.
    private func admitted(
        readingBody: Bool, _ handler: @escaping @Sendable (Request, HubRequestContext, ByteBuffer?) async throws -> Response
    ) -> @Sendable (Request, HubRequestContext) async throws -> Response {
        { [admission, turns, configuration, metrics] request, context in
            let station = try context.requireStation()
            return try await Self.turn(of: station, turns: turns, context: context, metrics: metrics) {
                var body: ByteBuffer?
                if readingBody {
                    do {
                        body = try await JSONBody.collect(request, limit: configuration.maxBodyBytes)
                    } catch {
                        Self.logRefusedPush(error, changes: [], logger: context.logger)
                        throw error
                    }
                }
                return try await admission.admitted(connection: context.connection) { try await handler(request, context, body) }
            }
        }
    }

    /// Runs `work` in `station`'s turn; a station with ``waitingPerStation`` requests waiting
    /// already gets 429 `rate_limited` (counted and logged as the `turn` limit).
    private static func turn(
        of station: HubStation, turns: SyncAdmission, context: HubRequestContext, metrics: HubMetrics, _ work: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await turns.admitted(station.id, connection: context.connection, work)
        } catch is SyncAdmission.Full {
            metrics.rateLimited(limit: "turn")
            context.logger.notice("hub.request.refused", metadata: ["hub.code": "rate_limited", "hub.who": "station \(station.id)", "hub.limit": "turn"])
            throw HubLimits.refusal(
                1, "station \(station.id) already has a request in progress and \(waitingPerStation) waiting at this hub; a station syncs one request at a time")
        }
    }

    @Sendable func push(_ request: Request, context: HubRequestContext, collected: ByteBuffer?) async throws -> Response {
        let started = ContinuousClock.now
        let station = try context.requireStation()
        let body: PushRequest
        let result: PushResponse
        let wall = configuration.wallClock.nowMillis()
        do {
            body = try JSONBody.decode(PushRequest.self, from: collected ?? ByteBuffer(), of: request, limit: configuration.maxBodyBytes)
        } catch {
            Self.logRefusedPush(error, changes: [], logger: context.logger)
            throw error
        }
        do {
            result = try await store.push(
                body.changes, from: station, context: ValidationContext(wallMillis: wall, maxDriftMillis: configuration.maxDriftMillis))
        } catch {
            Self.logRefusedPush(error, changes: body.changes, logger: context.logger)
            throw error
        }
        Self.logRefusals(result.refused, changes: body.changes, logger: context.logger)
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

    /// `GET /v1/digest[?detail=records]`: the view's digest, and with `detail=records` the
    /// digest of each of its records (so that a station can say which records differ).
    /// `GET /v1/schema[?version=N]`: a version of the hub's schema (the current one by
    /// default), for a station that holds an older one (SPEC §9).
    @Sendable func schema(_ request: Request, context: HubRequestContext) async throws -> Response {
        _ = try context.requireStation()
        let history = try await store.schemas()
        let asked = try request.uri.queryParameters["version"].map { text in
            guard let version = Int(text), version >= 1 else {
                throw HubError(.badRequest, .badRequest, "version is a whole number of 1 or more; got \"\(text.prefix(20))\"")
            }
            return version
        }
        guard let schema = asked.map({ version in history.first { $0.version == version } }) ?? history.last else {
            let known = history.map { String($0.version) }.joined(separator: ", ")
            throw HubError(.notFound, .notFound, "the hub has no version \(asked ?? 0) of its schema; it holds version \(known)")
        }
        return try JSONBody.response(schema, to: request)
    }

    @Sendable func digest(_ request: Request, context: HubRequestContext) async throws -> Response {
        let station = try context.requireStation()
        var body = try await store.digest(for: station)
        switch request.uri.queryParameters["detail"].map(String.init) {
        case nil: break
        case "records"?: body.recordDigests = try await store.recordDigests(for: station)
        case let other?: throw HubError(.badRequest, .badRequest, "detail is \"records\" or absent, not \"\(other.prefix(20))\"")
        }
        return try JSONBody.response(body, to: request)
    }

    /// The most refused changes of one push logged one by one (the rest are counted).
    static let loggedRefusals = 20

    /// Logs refused changes at `notice`: site, seq, type, field and code — never a value.
    static func logRefusals(_ refused: [PushRefusal], changes: [Change], logger: Logger) {
        guard let first = changes.first, !refused.isEmpty else { return }
        for refusal in refused.prefix(loggedRefusals) {
            let index = Int(clamping: refusal.seq &- first.seq)
            let change = changes.indices.contains(index) ? changes[index] : nil
            logger.notice(
                "hub.change.refused",
                metadata: [
                    "sync.site": "\(first.site)", "sync.seq": "\(refusal.seq)", "sync.type": "\(change.map { String($0.type.prefix(40)) } ?? "?")",
                    "sync.field": "\(change.map { String($0.field.prefix(40)) } ?? "?")", "sync.code": "\(refusal.code)",
                ])
        }
        if refused.count > loggedRefusals {
            logger.notice("hub.change.refused.more", metadata: ["sync.site": "\(first.site)", "sync.refused": "\(refused.count - loggedRefusals)"])
        }
    }

    /// Logs a push refused as a whole at `notice`: its code, site and seqs (never a value or a
    /// message, which may quote the body).
    static func logRefusedPush(_ error: any Error, changes: [Change], logger: Logger) {
        let code: SyncErrorCode
        switch error {
        case let error as HubError: code = error.body.error.code
        case let error as SyncError: code = error.code
        default: return
        }
        guard HubError.status(for: code).code < 500 else { return }
        logger.notice(
            "hub.push.refused",
            metadata: [
                "sync.code": "\(code)", "sync.site": "\(changes.first.map { "\($0.site)" } ?? "-")",
                "sync.seq": "\(changes.first.map { "\($0.seq)" } ?? "-")", "sync.batch.count": "\(changes.count)",
            ])
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
