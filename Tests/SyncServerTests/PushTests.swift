import Foundation
import Hummingbird
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// `POST /v1/push`: exactly-once application, scope checks, seq gaps and the clock guard.
@Suite struct PushTests {
    @Test func aRetriedBatchIsAppliedOnce() async throws {
        // Given a station with a new member in its unit
        let hub = try await HubFixture()
        let station = try hub.replica("t1")
        try station.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        let batch = try station.outbox()
        try await hub.application().test(.router) { client in
            // When it pushes the batch twice
            let first = try await client.push(hub, "t1", batch)
            let second = try await client.push(hub, "t1", batch)
            // Then the first applies everything and the second only counts duplicates
            #expect(first.acked == 3 && first.applied == 3 && first.duplicates == 0 && first.refused.isEmpty)
            #expect(second.acked == 3 && second.applied == 0 && second.duplicates == 3)
            #expect(try hub.store.replica.record(RecordKey(type: "member", id: "m-1"))?.values["name"] == .string("林秀英"))
            // And an overlapping batch applies only what is new
            try station.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-1", field: "name"), scope: "yc-t01-c01", value: "林秀芳")])
            let third = try await client.push(hub, "t1", try station.outbox())
            #expect(third.acked == 4 && third.applied == 1 && third.duplicates == 3)
        }
    }

    @Test func aGapIsRefusedWithTheAckedSeq() async throws {
        // Given a station that has pushed seq 1…3
        let hub = try await HubFixture()
        let station = try hub.replica("t1")
        try station.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        try station.writeLocal(memberEdits("m-2", unit: "yc-t01-c01"))
        let all = try station.outbox()
        try await hub.application().test(.router) { client in
            _ = try await client.push(hub, "t1", Array(all.prefix(3)))
            // When it pushes seq 5… (seq 4 missing)
            let body = try JSONEncoder().encode(PushRequest(changes: Array(all.suffix(2))))
            let error = try await client.expectError(.post, "/v1/push", headers: hub.headers("t1"), body: body, status: .conflict, code: .seqGap)
            // Then the error says which seq the hub holds, and nothing was applied
            #expect(error.error.acked == 3)
            #expect(try hub.store.replica.record(RecordKey(type: "member", id: "m-2")) == nil)
        }
    }

    @Test func clockSkewRefusesTheSkewedChangesAlone() async throws {
        // Given a station that wrote a member on time, then two writes with its clock an hour
        // ahead, then one more once its clock was put right again
        let hub = try await HubFixture()
        let path = hub.directory.path("fast.db")
        let onTime = try ReplicaStore.open(path: path, schema: hub.schema, wallClock: .fixed(HubFixture.wallMillis))
        try onTime.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        let fast = try ReplicaStore.open(path: path, schema: hub.schema, wallClock: .fixed(HubFixture.wallMillis + 3_600_000))
        try fast.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-1", field: "name"), scope: "yc-t01-c01", value: "快")])
        try fast.writeLocal(memberEdits("m-2", unit: "yc-t01-c01"))
        try await hub.application().test(.router) { client in
            // When it pushes everything
            let response = try await client.push(hub, "t1", try onTime.outbox())
            // Then the skewed changes alone are refused clock_skew, everything is acknowledged,
            // and the answer carries the hub's state of the records they name
            #expect(response.acked == 7)
            #expect(response.applied == 3)
            #expect(response.refused.map(\.seq) == [4, 5, 6, 7])
            #expect(response.refused.allSatisfy { $0.code == .clockSkew })
            #expect(response.records.map(\.id) == ["m-1"])
            #expect(try hub.store.replica.record(RecordKey(type: "member", id: "m-1"))?.values["name"] == "林秀英")
            #expect(try hub.store.replica.record(RecordKey(type: "member", id: "m-2")) == nil)
        }
    }

    @Test func outOfScopeWritesAreRefusedButAcknowledged() async throws {
        // Given station c01 (community yc-t01-c01) writing in its unit, in a sibling unit,
        // and moving its own member out of its subtree
        let hub = try await HubFixture()
        let station = try hub.replica("c01")
        try station.writeLocal(memberEdits("m-in", unit: "yc-t01-c01"))
        try station.writeLocal(memberEdits("m-out", unit: "yc-t01-c02"))
        try station.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-in", field: "orgUnitId"), scope: "yc-t01-c01", value: "yc-t02-c01")])
        try station.writeLocal([LocalEdit(key: FieldKey(type: "orgUnit", id: "yc-t01-c01", field: "name"), scope: "yc-t01-c01", value: "改名")])
        try await hub.application().test(.router) { client in
            // When it pushes everything
            let response = try await client.push(hub, "c01", try station.outbox())
            // Then the in-scope member is applied, the rest refused with out_of_scope, all acknowledged
            #expect(response.acked == 8)
            #expect(response.applied == 3)
            #expect(response.refused.map(\.seq) == [4, 5, 6, 7, 8])
            #expect(response.refused.allSatisfy { $0.code == .outOfScope })
            #expect(try hub.store.replica.scope(of: RecordKey(type: "member", id: "m-in")) == "yc-t01-c01")
            #expect(try hub.store.replica.record(RecordKey(type: "member", id: "m-out")) == nil)
            #expect(try await hub.store.stations().first { $0.name == "c01" }?.refusals == 5)
        }
    }

    @Test func aResentRefusedChangeIsRefusedAgain() async throws {
        // Given station c01 that pushed a member in its unit and one in a sibling unit
        let hub = try await HubFixture()
        let station = try hub.replica("c01")
        try station.writeLocal(memberEdits("m-in", unit: "yc-t01-c01"))
        try station.writeLocal(memberEdits("m-out", unit: "yc-t01-c02"))
        let batch = try station.outbox()
        try await hub.application().test(.router) { client in
            let first = try await client.push(hub, "c01", batch)
            // When it sends the same batch again (its first answer was lost)
            let second = try await client.push(hub, "c01", batch)
            // Then the answer repeats the refusals, and nothing is applied twice
            #expect(first.refused.map(\.seq) == [4, 5, 6])
            #expect(second.refused.map(\.seq) == [4, 5, 6])
            #expect(second.refused.map(\.code) == first.refused.map(\.code))
            #expect(second.refused.map(\.message) == first.refused.map(\.message))
            #expect(second.acked == 6 && second.applied == 0 && second.duplicates == 6)
            #expect(try await hub.store.stations().first { $0.name == "c01" }?.refusals == 3)
        }
    }

    @Test func aStationPushesOnlyItsOwnSite() async throws {
        // Given two replicas using the same token
        let hub = try await HubFixture()
        let first = try hub.replica("a")
        let second = try hub.replica("b")
        try first.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        try second.writeLocal(memberEdits("m-2", unit: "yc-t01-c01"))
        try await hub.application().test(.router) { client in
            // When the first binds the token and the second pushes with it
            _ = try await client.push(hub, "t1", try first.outbox())
            let body = try JSONEncoder().encode(PushRequest(changes: try second.outbox()))
            // Then the second is refused with wrong_site
            try await client.expectError(.post, "/v1/push", headers: hub.headers("t1"), body: body, status: .badRequest, code: .wrongSite)
            // And a batch mixing sites is refused too
            let mixed = try JSONEncoder().encode(PushRequest(changes: try first.outbox() + second.outbox()))
            try await client.expectError(.post, "/v1/push", headers: hub.headers("t2"), body: mixed, status: .badRequest, code: .wrongSite)
        }
    }
}
