import SyncClient
import SyncModel
import SyncStore
import Testing

@Suite("Station: conflicts and resolve")
struct StationResolveTests {
    /// A member whose name was changed here and, concurrently, by the peer.
    static func concurrentNames() throws -> (StationFixture, String, base: Version) {
        var fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let id = try fixture.station.put(type: "member", id: "m-1", fields: StationFixture.memberFields())
        let base = try #require(try fixture.station.record(type: "member", id: id)?.fields["name"]?.winner.version)
        try fixture.station.put(type: "member", id: id, fields: ["name": "林秀芳"])
        try fixture.receive(type: "member", id: id, fields: ["name": "林秀英(改)"], scope: "yc-t01-c01", bases: [base])
        return (fixture, id, base)
    }

    @Test("concurrent writes of an lww field are a conflict; keeping the loser makes it the only head")
    func keepLoser() throws {
        // Given a concurrent conflict on the name
        let (fixture, id, _) = try Self.concurrentNames()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let conflicts = try station.conflicts()
        #expect(conflicts.count == 1)
        let conflict = try #require(conflicts.first)
        #expect(conflict.kind == .concurrent && conflict.field == "name")
        let heads = try #require(try station.record(type: "member", id: id)?.fields["name"]?.heads.map(\.version))

        // When the losing write is kept
        let settling = try station.resolve(type: "member", id: id, field: "name", keep: conflict.version)

        // Then its value shows, the settling change lists both heads, and no conflict is left
        #expect(settling.count == 1)
        #expect(Set(settling[0].bases) == Set(heads))
        #expect(try station.record(type: "member", id: id)?.values["name"] == conflict.value)
        #expect(try station.record(type: "member", id: id)?.fields["name"]?.heads.count == 1)
        #expect(try station.conflicts().isEmpty)
    }

    @Test("resolve with a new value settles the conflict with that value")
    func newValue() throws {
        let (fixture, id, _) = try Self.concurrentNames()
        defer { withExtendedLifetime(fixture) {} }
        try fixture.station.resolve(type: "member", id: id, field: "name", value: "林秀英")
        #expect(try fixture.station.record(type: "member", id: id)?.values["name"] == "林秀英")
        #expect(try fixture.station.conflicts().isEmpty)
    }

    @Test("resolve refuses a field without conflict and a version that is not a head")
    func noConflict() throws {
        let (fixture, id, base) = try Self.concurrentNames()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station

        let calm = syncError { try station.resolve(type: "member", id: id, field: "category", value: "direct") }
        let notHead = syncError { try station.resolve(type: "member", id: id, field: "name", keep: base) }
        let both = syncError { try station.resolve(type: "member", id: id, field: "name", keep: base, value: "x") }

        #expect(calm?.code == .noConflict)
        #expect(notHead?.code == .noConflict)
        #expect(notHead?.message.contains("not one of the heads") == true)
        #expect(both?.code == .invalidValue)
        #expect(try station.conflicts().count == 1)
    }

    /// A member deleted here while the peer, not having seen the delete, renamed it.
    static func deleteEdit() throws -> (StationFixture, String) {
        var fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let id = try fixture.station.put(type: "member", id: "m-2", fields: StationFixture.memberFields())
        let base = try #require(try fixture.station.record(type: "member", id: id)?.fields["name"]?.winner.version)
        try fixture.station.delete(type: "member", id: id)
        try fixture.receive(type: "member", id: id, fields: ["name": "林秀英(新)"], scope: "yc-t01-c01", bases: [base], aheadMillis: 1_000)
        return (fixture, id)
    }

    @Test("an edit made without seeing a delete is a delete/edit conflict; _deleted=false restores the record")
    func restoreSettles() throws {
        let (fixture, id) = try Self.deleteEdit()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        #expect(try station.conflicts().map(\.kind) == [.deleteEdit])

        try station.resolve(type: "member", id: id, field: Schema.deletedField, value: false)

        let record = try #require(try station.record(type: "member", id: id))
        #expect(!record.isDeleted)
        #expect(record.values["name"] == "林秀英(新)")
        #expect(try station.conflicts().isEmpty)
    }

    @Test("keeping the delete confirms it and clears the delete/edit conflict")
    func confirmDelete() throws {
        let (fixture, id) = try Self.deleteEdit()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let conflict = try #require(try station.conflicts().first)

        try station.resolve(type: "member", id: id, field: "name", keep: conflict.winner)

        #expect(try station.record(type: "member", id: id)?.isDeleted == true)
        #expect(try station.conflicts().isEmpty)
    }
}
