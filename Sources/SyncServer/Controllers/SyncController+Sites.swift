import Hummingbird
import SyncModel

extension SyncController {
    /// `GET /v1/sites`: the names of the sites whose changes the station receives — the hub's
    /// own, and those of the stations bound to a unit the station sees (its subtree and the
    /// units above it: only they write the records of its view, SPEC §10) — for `explain`.
    @Sendable func sites(_ request: Request, context: HubRequestContext) async throws -> Response {
        let station = try context.requireStation()
        let scope = try await store.scope(of: station.org)
        var entries = [SitesResponse.Entry(site: store.siteID, name: "hub")]
        for other in try await store.stations() {
            guard let site = other.site, scope.subtree.contains(other.org) || scope.ancestors.contains(other.org) else { continue }
            entries.append(SitesResponse.Entry(site: site, name: other.name, station: other.id, org: other.org))
        }
        return try JSONBody.response(SitesResponse(sites: entries.sorted { $0.site < $1.site }), to: request)
    }
}
