import Foundation
import Hummingbird
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Testing

/// What each station receives: its subtree and its ancestors, personal fields only from its
/// subtree, moved records whole or as removals; snapshots that reproduce the hub's view.
@Suite struct ScopeTests {
    /// Members written by three stations: one in c01 (by t1), one in t02-c01 (by t2), one at
    /// county level (by county), each with a phone number.
    func seeded(_ hub: HubFixture, _ client: some TestClientProtocol) async throws {
        for (station, id, unit) in [("t1", "m-c01", "yc-t01-c01"), ("t2", "m-t2", "yc-t02-c01"), ("county", "m-yc", "yc")] {
            let replica = try hub.replica(station)
            try replica.writeLocal(memberEdits(id, unit: unit, phone: "1380000\(id.count)"))
            let response = try await client.push(hub, station, try replica.outbox())
            #expect(response.applied == 4 && response.refused.isEmpty)
        }
    }

    func pullAll(_ hub: HubFixture, _ client: some TestClientProtocol, _ station: String, from cursor: Int64 = 0, limit: Int = 7) async throws -> (PullResponse, [Change]) {
        var cursor = cursor
        var changes: [Change] = []
        var last: PullResponse
        repeat {
            last = try await client.pull(hub, station, cursor: cursor, limit: limit)
            #expect(last.cursor >= cursor)
            cursor = last.cursor
            changes += last.changes
        } while last.more
        return (last, changes)
    }

    @Test(arguments: HubStoreKind.all) func pullsFollowSubtreeAncestorsAndThePersonalRule(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        try await hub.application().test(.router) { client in
            // Given members in three places
            try await seeded(hub, client)
            // When c01 pulls everything in small pages
            let (_, c01) = try await pullAll(hub, client, "c01")
            // Then it gets its ancestors' and its own units, not siblings or the other township
            let units = Set(c01.filter { $0.type == "orgUnit" }.map(\.id))
            #expect(units == ["yc", "yc-t01", "yc-t01-c01"])
            // And its member whole, the county member without the phone, nothing of t02
            #expect(Set(c01.filter { $0.id == "m-c01" }.map(\.field)) == ["name", "orgUnitId", "category", "phone"])
            #expect(Set(c01.filter { $0.id == "m-yc" }.map(\.field)) == ["name", "orgUnitId", "category"])
            #expect(!c01.contains { $0.id == "m-t2" })
            // When t1 pulls / Then its own changes are skipped but the cursor passes them
            let (t1Last, t1) = try await pullAll(hub, client, "t1")
            #expect(!t1.contains { $0.id == "m-c01" })
            #expect(t1Last.cursor == (try await hub.lastPosition()))
            #expect(Set(t1.filter { $0.type == "orgUnit" }.map(\.id)) == ["yc", "yc-t01", "yc-t01-c01", "yc-t01-c02"])
            // When the county pulls / Then it sees everything, phones included
            let (_, county) = try await pullAll(hub, client, "county")
            #expect(county.filter { $0.field == "phone" }.map(\.id).sorted() == ["m-c01", "m-t2"])
        }
    }

    @Test(arguments: HubStoreKind.all) func aSnapshotInstallsTheStationsViewExactly(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        try await hub.application().test(.router) { client in
            // Given members in three places
            try await seeded(hub, client)
            // When c01 and t2 each bootstrap from a paged snapshot into a fresh replica
            for station in ["c01", "t2", "county"] {
                let (records, cursor, pages) = try await client.snapshot(hub, station, limit: 2)
                #expect(pages > 1)
                #expect(cursor == (try await hub.lastPosition()))
                let replica = try hub.replica("fresh-\(station)")
                try replica.install(records)
                // Then the replica's digest is the hub's digest of that station's view
                let (_, body, _) = try await client.call(.get, "/v1/digest", headers: hub.headers(station))
                expectConforms(body, "DigestResponse")
                let hubView = try JSONDecoder().decode(DigestResponse.self, from: body)
                #expect(try replica.digest() == hubView.digest)
                #expect(hubView.records == records.count)
                // And installing twice changes nothing
                try replica.install(records)
                #expect(try replica.digest() == hubView.digest)
                // And personal fields arrive only from the station's subtree
                let phones = records.filter { $0.fields.contains { $0.field == "phone" } }.map(\.id).sorted()
                switch station {
                case "c01": #expect(phones == ["m-c01"])
                case "t2": #expect(phones == ["m-t2"])
                default: #expect(phones == ["m-c01", "m-t2", "m-yc"])
                }
            }
            // And the county's view is the whole hub
            let (_, body, _) = try await client.call(.get, "/v1/digest", headers: hub.headers("county"))
            #expect(try JSONDecoder().decode(DigestResponse.self, from: body).digest == (try await hub.store.digest(for: nil).digest))
        }
    }

    @Test(arguments: HubStoreKind.all) func movedRecordsArriveWholeAndLeaveAsRemovals(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        try await hub.application().test(.router) { client in
            // Given m-c01 in yc-t01-c01 and every station's cursor at the end of the log
            try await seeded(hub, client)
            let start = try await hub.lastPosition()
            // When the county moves m-c01 to yc-t02-c01 (another township)
            let county = try hub.replica("county2")
            try county.install(try await client.snapshot(hub, "county2", limit: 100).records)
            try county.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-c01", field: "orgUnitId"), scope: "yc-t01-c01", value: "yc-t02-c01")])
            let moved = try await client.push(hub, "county2", try county.outbox())
            #expect(moved.applied == 1)
            // Then c01 and t1 learn it left
            for station in ["c01", "t1"] {
                let pull = try await client.pull(hub, station, cursor: start)
                #expect(pull.removed == [RecordKey(type: "member", id: "m-c01")])
                #expect(pull.changes.isEmpty && pull.records.isEmpty)
            }
            // And t2 receives the whole record, phone included, plus the move itself
            let t2 = try await client.pull(hub, "t2", cursor: start)
            #expect(t2.records.map(\.id) == ["m-c01"])
            #expect(t2.records.first?.fields.contains { $0.field == "phone" } == true)
            #expect(t2.changes.map(\.field) == ["orgUnitId"])
            // And a station that bootstraps afterwards agrees with the hub's view
            let fresh = try hub.replica("t2-fresh")
            try fresh.install(try await client.snapshot(hub, "t2", limit: 3).records)
            let (_, body, _) = try await client.call(.get, "/v1/digest", headers: hub.headers("t2"))
            #expect(try fresh.digest() == (try JSONDecoder().decode(DigestResponse.self, from: body)).digest)
        }
    }
}
