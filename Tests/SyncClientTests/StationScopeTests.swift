import SyncClient
import SyncModel
import SyncStore
import Testing
import TributaryTestSupport

@Suite("Station: scope")
struct StationScopeTests {
    @Test("a write in the station's unit or under it is accepted; elsewhere it is out_of_scope")
    func subtree() throws {
        // Given a station of yc-t01, whose replica knows yc-t01-c01 lies under it
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station

        // When members are written in its unit, its community, another township and an unknown unit
        try station.put(type: "member", fields: StationFixture.memberFields("yc-t01"))
        try station.put(type: "member", fields: StationFixture.memberFields("yc-t01-c01"))
        let other = syncError { try station.put(type: "member", fields: StationFixture.memberFields("yc-t02")) }
        let unknown = syncError { try station.put(type: "member", fields: StationFixture.memberFields("yc-t09-c01")) }

        // Then the first two are written and the others refused with a clear sentence
        #expect(other?.code == .outOfScope)
        #expect(other?.message.contains("yc-t02") == true)
        #expect(other?.message.contains("yc-t01") == true)
        #expect(unknown?.code == .outOfScope)
        #expect(try station.store.outboxCount() == 6)
    }

    @Test("the org tree is the hub's: a station writes no org unit, its own included, with the hub's sentence")
    func orgUnits() throws {
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station

        let own = syncError { try station.put(type: "orgUnit", id: "yc-t01", fields: ["name": "新名字"]) }
        let below = syncError {
            try station.put(type: "orgUnit", id: "yc-t01-c02", fields: ["name": "城东社区", "kind": "community", "parentId": "yc-t01"])
        }

        #expect(own?.code == .outOfScope)
        #expect(own?.message.contains("kept by the county hub") == true)
        #expect(below?.code == .outOfScope)
        #expect(try station.record(type: "orgUnit", id: "yc-t01")?.values["name"] == "桃城镇")
        #expect(try station.store.outboxCount() == 0)
    }

    @Test("before its first sync a station holds no org tree and writes only in its own unit")
    func noTreeYet() throws {
        let directory = TemporaryDirectory("station")
        let station = try Station.create(at: directory.path("station.db"), org: "yc-t01")
        try station.put(type: "member", fields: StationFixture.memberFields("yc-t01"))
        let below = syncError { try station.put(type: "member", fields: StationFixture.memberFields("yc-t01-c01")) }
        #expect(below?.code == .outOfScope)
    }

    @Test("a record may not be moved out of the subtree, nor an org unit re-parented out of it")
    func movingOut() throws {
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let id = try station.put(type: "member", fields: StationFixture.memberFields("yc-t01-c01"))

        let move = syncError { try station.put(type: "member", id: id, fields: ["orgUnitId": "yc-t02"]) }
        let reparent = syncError { try station.put(type: "orgUnit", id: "yc-t01-c01", fields: ["parentId": "yc-t02"]) }

        #expect(move?.code == .outOfScope)
        #expect(reparent?.code == .outOfScope)
        #expect(try station.record(type: "member", id: id)?.values["orgUnitId"] == "yc-t01-c01")
    }

    @Test("a record received from outside the subtree cannot be edited or deleted")
    func receivedOutside() throws {
        var fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        try fixture.receive(type: "member", id: "m-t02", fields: StationFixture.memberFields("yc-t02"))

        let edit = syncError { try fixture.station.put(type: "member", id: "m-t02", fields: ["name": "x"]) }
        let delete = syncError { try fixture.station.delete(type: "member", id: "m-t02") }

        #expect(edit?.code == .outOfScope)
        #expect(delete?.code == .outOfScope)
    }

    @Test("a transfer is in scope when either of its units is")
    func transfers() throws {
        // Given a transfer from yc-t02 into this station's community, received from the hub
        var fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        try fixture.receive(
            type: "transfer", id: "tr-1",
            fields: [
                "memberId": "m-9", "fromOrgUnitId": "yc-t02", "toOrgUnitId": "yc-t01-c01", "state": "released",
                "requestedOn": "2025-03-01",
            ], scope: "yc-t02")

        // When the receiving station takes it in, and writes a transfer between two other units
        try fixture.station.put(type: "transfer", id: "tr-1", fields: ["state": "received", "receivedOn": "2025-03-09"])
        let foreign = syncError {
            try fixture.station.put(
                type: "transfer",
                fields: ["memberId": "m-8", "fromOrgUnitId": "yc-t02", "toOrgUnitId": "yc", "state": "requested", "requestedOn": "2025-03-01"])
        }

        // Then the first is written (scoped to the sending unit) and the second refused
        #expect(try fixture.station.store.outbox().allSatisfy { $0.scope == "yc-t02" })
        #expect(foreign?.code == .outOfScope)
    }
}
