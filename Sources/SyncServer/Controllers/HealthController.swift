import Prometheus
import Hummingbird
import SyncModel

/// `GET /healthz` and `GET /metrics`: no token, no version headers.
struct HealthController {
    let store: any HubStore
    let metrics: HubMetrics

    /// The routes.
    var routes: RouteCollection<HubRequestContext> {
        let routes = RouteCollection(context: HubRequestContext.self)
        routes.get("healthz") { request, _ in
            try JSONBody.response(
                HealthResponse(protocol: WireProtocol.version, schema: WireProtocol.schemaTag(store.schema), site: store.siteID),
                to: request)
        }
        routes.get("metrics") { request, _ in
            JSONBody.bytes(metrics.registry.emitToBuffer(), contentType: "text/plain; version=0.0.4; charset=utf-8", to: request)
        }
        return routes
    }
}
