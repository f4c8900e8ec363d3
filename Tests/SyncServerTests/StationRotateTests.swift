import Foundation
import Hummingbird
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// A new token for the same station (`station rotate`) keeps its org unit and site, so the
/// replica that holds its unsent changes can deliver them; the refusals that lead there name
/// it (SPEC §10 "Stations and sites").
@Suite struct StationRotateTests {
    /// Station t1's replica with 10 members written (30 changes), the first 20 pushed.
    static func halfPushed(_ hub: HubFixture, _ client: some TestClientProtocol) async throws -> [Change] {
        let replica = try hub.replica("t1")
        for index in 1...10 { try replica.writeLocal(memberEdits("m-\(index)", unit: "yc-t01-c01")) }
        let changes = try replica.outbox()
        let pushed = try await client.push(hub, "t1", Array(changes[..<20]))
        #expect(pushed.acked == changes[19].seq)
        return changes
    }

    @Test(arguments: HubStoreKind.all) func aRotatedStationDeliversTheRestOfItsOutboxAndItsOldTokenIsToldWhy(_ kind: HubStoreKind) async throws {
        // Given t1 revoked after pushing half its changes
        let fixture = try await HubFixture(kind)
        let id = try #require(fixture.stationIDs["t1"])
        try await fixture.application().test(.router) { client in
            var hub = fixture
            let changes = try await Self.halfPushed(hub, client)
            _ = try await hub.store.revokeStation(id: id)

            // When it pushes, it is told to get a new token for the same station
            let revoked = try await client.expectError(
                .post, "/v1/push", headers: hub.headers("t1"), body: try JSONEncoder().encode(PushRequest(changes: Array(changes[20...]))),
                status: .unauthorized, code: .tokenRevoked)
            #expect(revoked.error.message.contains("tributary-hub station rotate \(id)"))

            // When the county rotates its token
            let old = hub.tokens["t1"]
            let (station, token) = try await hub.store.rotateStation(id: id)
            #expect(station.id == id && station.org == "yc-t01" && !station.revoked && station.acked == changes[19].seq)
            #expect(station.site == changes[0].site, "the site stays bound")
            hub.tokens["t1"] = token

            // Then the rest goes through with the new token, each change once
            let pushed = try await client.push(hub, "t1", changes)
            #expect(pushed.applied == changes.count - 20 && pushed.duplicates == 20 && pushed.acked == changes.last!.seq, "\(pushed)")

            // And the old token is refused as replaced, naming the station
            hub.tokens["t1"] = old
            let replaced = try await client.expectError(.get, "/v1/whoami", headers: hub.headers("t1"), status: .unauthorized, code: .tokenRevoked)
            #expect(replaced.error.message.contains("station \(id)'s token was replaced"))
        }
    }

    @Test(arguments: HubStoreKind.all) func aNewStationForAnOldReplicaIsToldToRotateTheOldOne(_ kind: HubStoreKind) async throws {
        // Given t1 revoked after pushing half its changes, and a new station added for its replica
        let fixture = try await HubFixture(kind)
        let id = try #require(fixture.stationIDs["t1"])
        try await fixture.application().test(.router) { client in
            var hub = fixture
            let changes = try await Self.halfPushed(hub, client)
            _ = try await hub.store.revokeStation(id: id)
            let (_, token) = try await hub.store.addStation(name: "t1 again", org: "yc-t01")
            hub.tokens["t1"] = token

            // When the replica pushes the rest with the new station's token
            let refused = try await client.expectError(
                .post, "/v1/push", headers: hub.headers("t1"), body: try JSONEncoder().encode(PushRequest(changes: Array(changes[20...]))),
                status: .badRequest, code: .wrongSite)

            // Then it is refused, and the message leads to the way that works
            #expect(refused.error.message.contains("belongs to station \(id)"))
            #expect(refused.error.message.contains("tributary-hub station rotate \(id)"))
        }
    }

    @Test(arguments: HubStoreKind.all) func rotatingAnUnknownStationIsNotFound(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        await #expect(throws: SyncError.self) { _ = try await hub.store.rotateStation(id: "st-000000000000") }
    }
}
