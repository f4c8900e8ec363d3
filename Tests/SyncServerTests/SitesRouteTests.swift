import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SyncModel
@testable import SyncServer
import SyncStore
import Testing

/// `GET /v1/sites` (SPEC §10): the names a station learns for `tributary explain` — the hub's
/// own site and the stations of the units it sees (its subtree and the units above), never
/// stations elsewhere in the tree.
@Suite struct SitesRouteTests {
    @Test func aStationLearnsTheSitesOfItsViewAndNoOthers() async throws {
        // Given stations of a community under t1, of another township and of the county, each
        // bound to a site by a first push
        let fixture = try await HubFixture()
        try await fixture.application().test(.router) { client in
            for (station, unit) in [("c01", "yc-t01-c01"), ("t2", "yc-t02"), ("county", "yc")] {
                let replica = try fixture.replica(station)
                try replica.writeLocal(memberEdits("m-\(station)", unit: unit))
                _ = try await client.push(fixture, station, try replica.changes(after: 0, limit: 100).map(\.change))
            }
            // When township station t1 asks for the names of sites
            let (status, body, _) = try await client.call(.get, "/v1/sites", headers: fixture.headers("t1"))
            // Then the answer conforms, and names the hub, the community below and the county above
            #expect(status == .ok)
            expectConforms(body, "SitesResponse")
            let sites = try JSONDecoder().decode(SitesResponse.self, from: body).sites
            #expect(Set(sites.map(\.name)) == ["hub", "c01", "county"])
            #expect(sites.first { $0.name == "hub" }?.site == fixture.store.siteID)
            #expect(sites.first { $0.name == "c01" }?.org == "yc-t01-c01")
            #expect(sites.map(\.site) == sites.map(\.site).sorted())
            // And without a token it is 401 like every sync route
            let (unauthorized, error, _) = try await client.call(.get, "/v1/sites", headers: fixture.headers(nil))
            #expect(unauthorized == .unauthorized)
            expectConforms(error, "ErrorBody")
        }
    }
}
