import Prometheus
import Hummingbird
import Logging
import SyncModel

/// `GET /healthz` and `GET /metrics`: no token, no version headers. Both ask the store
/// whether it can take pushes: `/healthz` answers 503 `degraded` with the reason when it
/// cannot, `/metrics` sets `tributary_store_writable` to 0.
struct HealthController {
    let store: any HubStore
    let metrics: HubMetrics

    /// The routes.
    var routes: RouteCollection<HubRequestContext> {
        let routes = RouteCollection(context: HubRequestContext.self)
        routes.get("healthz") { request, context in
            let problem = await store.writeProblem()
            metrics.storeWritable(problem == nil)
            var health = HealthResponse(protocol: WireProtocol.version, schema: WireProtocol.schemaTag(store.schema), site: store.siteID)
            guard let problem else { return try JSONBody.response(health, to: request) }
            health.status = "degraded"
            health.reason = problem.code
            health.message = problem.message
            context.logger.warning("hub.health.degraded", metadata: ["hub.code": "\(problem.code)"])
            return try JSONBody.response(health, to: request, status: .serviceUnavailable)
        }
        routes.get("metrics") { request, _ in
            metrics.storeWritable(await store.writeProblem() == nil)
            return JSONBody.bytes(metrics.registry.emitToBuffer(), contentType: "text/plain; version=0.0.4; charset=utf-8", to: request)
        }
        return routes
    }
}
