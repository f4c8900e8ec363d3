public import Hummingbird
public import Logging
public import ServiceLifecycle
import SyncModel
import SyncStore

/// Builds the hub application: opens (and migrates) the hub's store `configuration.dbPath`
/// names (an SQLite file or a `postgres://` URL, ``HubDatabase``) — a new hub starts with
/// `configuration.schema`, an existing one goes by the newest schema it holds — and serves
/// protocol v1.
///
/// - Parameters:
///   - onServerRunning: called with the bound port once the server listens (useful with port 0).
public func buildApplication(
    configuration: HubConfiguration, logger: Logger? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    if case .postgres(let location) = try HubDatabase(configuration.dbPath) {
        // The connection pool runs in the application's service group: it ends on graceful shutdown.
        let store = try await PostgresHubStore.open(
            location, schema: configuration.schema, wallClock: configuration.wallClock, logger: logger, runsPool: false)
        return buildApplication(store: store, configuration: configuration, logger: logger, services: [store.pool], onServerRunning: onServerRunning)
    }
    let store = try SQLiteHubStore.open(path: configuration.dbPath, schema: configuration.schema, wallClock: configuration.wallClock)
    if let unwritable = store.replica.unwritable {
        // Opened for reading only (SPEC §16): pulls are served, pushes refused until a restart
        // with the disk writable again.
        logger?.warning("hub.store.unwritable", metadata: ["hub.error": "\(unwritable.code)", "hub.error.message": "\(unwritable.message)"])
    }
    return buildApplication(store: store, configuration: configuration, logger: logger, onServerRunning: onServerRunning)
}

/// Builds the hub application over an open store and a metrics registry of its own.
public func buildApplication(
    store: any HubStore, configuration: HubConfiguration, metrics: HubMetrics = HubMetrics(), logger: Logger? = nil,
    services: [any Service] = [], onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let logger = logger ?? Logger(label: "tributary-hub", factory: { _ in SwiftLogNoOpLogHandler() })
    let router = buildRouter(store: store, configuration: configuration, metrics: metrics)
    // Every connection gets a guard: the per-address cap and the header, idle and body
    // deadlines (SPEC §10 "Connections").
    let connections = ConnectionLimits(configuration: configuration, metrics: metrics, logger: logger)
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(limits: connections)])),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: configuration.serverName),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// The hub's router: error mapping on everything, version and token checks on `/v1`.
func buildRouter(store: any HubStore, configuration: HubConfiguration, metrics: HubMetrics) -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self)
    router.add(
        middleware: ErrorMiddleware(routes: [
            "/v1/push": "POST", "/v1/pull": "GET", "/v1/snapshot": "GET", "/v1/whoami": "GET", "/v1/digest": "GET", "/v1/schema": "GET", "/v1/sites": "GET",
            "/healthz": "GET", "/metrics": "GET", "/v1/reports": "GET", "/v1/log": "GET", "/login": "GET, POST", "/logout": "GET, POST",
        ]))
    let limits = HubLimits(configuration: configuration, metrics: metrics)
    router.add(middleware: FailedAuthMiddleware(limits: limits))
    router.addRoutes(HealthController(store: store, metrics: metrics).routes)
    router.group("v1")
        .add(middleware: ProtocolMiddleware(store: store, metrics: metrics, limits: limits))
        .addRoutes(SyncController(store: store, configuration: configuration, metrics: metrics).routes)
    // County view: reports (admin or station tokens, or a dashboard session) and the dashboard.
    let sessions = DashboardSessions(store: store)
    let access = ReportAccess(store: store, sessions: sessions, wallClock: configuration.wallClock, limits: limits)
    router.addRoutes(ReportsController(store: store, access: access).routes)
    router.addRoutes(LogController(store: store, access: access).routes)
    router.addRoutes(DashboardController(store: store, access: access, sessions: sessions, wallClock: configuration.wallClock).routes)
    return router
}
