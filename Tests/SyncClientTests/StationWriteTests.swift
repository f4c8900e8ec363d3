import CountyWork
import Foundation
import SyncClient
import SyncModel
import SyncStore
import Testing

@Suite("Station: writes")
struct StationWriteTests {
    @Test("put creates a record with a new lowercased UUID, logging every field to the outbox")
    func createLogsEveryField() throws {
        // Given a station
        let fixture = try StationFixture()
        let station = fixture.station

        // When a member is created without an id
        let id = try station.put(type: "member", fields: StationFixture.memberFields())

        // Then the id is a lowercase UUID and the outbox holds one change per field, in seq order
        #expect(UUID(uuidString: id) != nil)
        #expect(id == id.lowercased())
        let outbox = try station.store.outbox()
        #expect(outbox.map(\.field).sorted() == ["category", "name", "orgUnitId"])
        #expect(outbox.map(\.seq) == [1, 2, 3])
        #expect(outbox.allSatisfy { $0.site == station.siteID && $0.scope == "yc-t01-c01" && $0.id == id && $0.bases.isEmpty })
        #expect(try station.record(type: "member", id: id)?.values["name"] == "林秀英")
    }

    @Test("only fields that change are written; writing the same values again is a no-op")
    func onlyChangesAreWritten() throws {
        // Given a member
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let id = try station.put(type: "member", id: "m-1", fields: StationFixture.memberFields())

        // When it is written again with the same values, then with one field changed
        let same = try station.write(RecordWrite(type: "member", id: id, fields: StationFixture.memberFields()))
        let update = try station.write(RecordWrite(type: "member", id: id, fields: ["name": "林秀英", "birthYear": 1958]))

        // Then the first writes nothing and the second writes only birthYear, based on nothing before
        #expect(same.changes.isEmpty)
        #expect(update.changes.map(\.field) == ["birthYear"])
        #expect(try station.store.outboxCount() == 4)
    }

    @Test("an update of an lww field lists the overwritten winner as its base")
    func updateHasBase() throws {
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let id = try station.put(type: "member", fields: StationFixture.memberFields())
        let before = try #require(try station.record(type: "member", id: id)?.fields["name"]?.winner.version)

        let update = try station.write(RecordWrite(type: "member", id: id, fields: ["name": "林秀芳"]))

        #expect(update.changes.first?.bases == [before])
    }

    @Test("a typed record round-trips through put and get, clearing the fields it leaves empty")
    func typedPut() throws {
        // Given a typed member with a phone
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        var member = Member(id: "m-0001", name: "陈建国", birthYear: 1962, orgUnitId: "yc-t01-c01", category: .direct, phone: "13800000000")
        try station.put(member)
        #expect(try station.get(Member.self, id: "m-0001") == member)

        // When it is put again without the phone
        member.phone = nil
        try station.put(member)

        // Then the phone is cleared
        #expect(try station.get(Member.self, id: "m-0001") == member)
        #expect(try station.record(type: "member", id: "m-0001")?.values["phone"] == .null)
    }

    @Test("a typed activity puts its attendees exactly")
    func typedSets() throws {
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        var activity = Activity(
            id: "act-1", orgUnitId: "yc-t01", kind: .themedDay, date: CalendarDate("2025-03-22")!, title: "主题党日",
            attendees: ["m-1", "m-2"])
        try station.put(activity)
        activity.attendees = ["m-2", "m-3"]
        try station.put(activity)

        #expect(try station.get(Activity.self, id: "act-1")?.attendees == ["m-2", "m-3"])
    }

    @Test("set elements are added and removed one by one")
    func setChanges() throws {
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let id = try station.put(
            type: "activity",
            fields: ["orgUnitId": "yc-t01", "kind": "study", "date": "2025-04-26", "title": "学习"],
            setChanges: ["attendees": ["m-1": true, "m-2": true]])
        try station.put(type: "activity", id: id, fields: [:], setChanges: ["attendees": ["m-1": false, "m-3": true]])
        let again = try station.write(RecordWrite(type: "activity", id: id, setChanges: ["attendees": ["m-3": true]]))

        #expect(try station.record(type: "activity", id: id)?.setValues["attendees"] == ["m-2", "m-3"])
        #expect(again.changes.isEmpty)
    }

    @Test(
        "the schema's refusals come through with their codes",
        arguments: [
            (RecordWrite(type: "memberz", fields: ["name": "x"]), SyncErrorCode.unknownType),
            (RecordWrite(type: "member", fields: ["nickname": "x"]), .unknownField),
            (RecordWrite(type: "member", fields: ["birthYear": "1958"]), .wrongKind),
            (RecordWrite(type: "member", fields: ["category": "sleeping"]), .invalidValue),
            (RecordWrite(type: "member", fields: ["joinedOn": "2025-02-30"]), .invalidValue),
            (RecordWrite(type: "member", id: "has space", fields: ["name": "x"]), .malformedID),
            (RecordWrite(type: "member", fields: ["_deleted": true]), .unknownField),
            (RecordWrite(type: "activity", fields: ["attendees": "m-1"]), .wrongKind),
        ])
    func schemaRefusals(write: RecordWrite, code: SyncErrorCode) throws {
        // Given a station with nothing written yet
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        var write = write
        if write.type == "member", write.fields["orgUnitId"] == nil {
            write.fields.merge(StationFixture.memberFields()) { mine, _ in mine }
        }

        // When the bad write is made
        let error = syncError { try station.write(write) }

        // Then it is refused with the code and nothing is logged
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(try station.store.outboxCount() == 0)
    }

    @Test("creation needs every required field, and a required field cannot be cleared")
    func requiredFields() throws {
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let missing = syncError { try station.put(type: "member", fields: ["name": "林秀英", "orgUnitId": "yc-t01"]) }
        let id = try station.put(type: "member", fields: StationFixture.memberFields())
        let cleared = syncError { try station.put(type: "member", id: id, fields: ["name": .null]) }

        #expect(missing?.code == .missingField)
        #expect(missing?.message.contains("category") == true)
        #expect(cleared?.code == .missingField)
        #expect(try station.store.outboxCount() == 3)
    }

    @Test("a forward state moves forward, not back")
    func forwardState() throws {
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let id = try station.put(
            type: "microWish",
            fields: ["orgUnitId": "yc-t01-c01", "beneficiary": "王奶奶", "wish": "助听器", "postedOn": "2025-03-01", "state": "posted"])
        try station.put(type: "microWish", id: id, fields: ["state": "fulfilled"])
        let back = syncError { try station.put(type: "microWish", id: id, fields: ["state": "claimed"]) }

        #expect(back?.code == .backwardState)
        #expect(back?.message.contains("posted → claimed → fulfilled") == true)
        #expect(try station.record(type: "microWish", id: id)?.values["state"] == "fulfilled")
    }

    @Test("immutable fields and append-only records are refused once written")
    func immutableAndAppendOnly() throws {
        // Given a transfer and a time-bank entry
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let transfer = try station.put(
            type: "transfer",
            fields: [
                "memberId": "m-1", "fromOrgUnitId": "yc-t01-c01", "toOrgUnitId": "yc-t02", "state": "requested",
                "requestedOn": "2025-03-01",
            ])
        let hours = try station.put(
            type: "volunteerHours", fields: ["memberId": "m-1", "orgUnitId": "yc-t01", "date": "2025-03-02", "hours": 2.5])

        // When their fixed fields are changed, or the entry deleted
        let immutable = syncError { try station.put(type: "transfer", id: transfer, fields: ["memberId": "m-2"]) }
        let appendOnly = syncError { try station.put(type: "volunteerHours", id: hours, fields: ["hours": 3]) }
        let deleteEntry = syncError { try station.delete(type: "volunteerHours", id: hours) }
        let sameAgain = try station.write(RecordWrite(type: "volunteerHours", id: hours, fields: ["hours": 2.5]))

        // Then each is refused with its code; writing the same values again changes nothing
        #expect(immutable?.code == .immutableField)
        #expect(appendOnly?.code == .appendOnly)
        #expect(deleteEntry?.code == .appendOnly)
        #expect(sameAgain.changes.isEmpty)
        try station.put(type: "transfer", id: transfer, fields: ["state": "released", "releasedOn": "2025-03-05"])
        #expect(try station.record(type: "transfer", id: transfer)?.values["state"] == "released")
    }

    @Test("delete hides a record, refuses edits until it is restored, and both are no-ops when repeated")
    func deleteAndRestore() throws {
        // Given a member
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let id = try station.put(type: "member", fields: StationFixture.memberFields())

        // When it is deleted, edited, deleted again, restored and restored again
        #expect(try station.delete(type: "member", id: id))
        let edit = syncError { try station.put(type: "member", id: id, fields: ["name": "x"]) }
        #expect(try !station.delete(type: "member", id: id))
        #expect(try station.list(type: "member").isEmpty)
        #expect(try station.list(type: "member", includeDeleted: true).count == 1)
        #expect(try station.restore(type: "member", id: id))
        #expect(try !station.restore(type: "member", id: id))

        // Then the edit was refused and the member is back, with delete and restore in the outbox
        #expect(edit?.code == .recordDeleted)
        #expect(edit?.message.contains("tributary restore member") == true)
        #expect(try station.list(type: "member").map(\.key.id) == [id])
        let deletes = try station.store.outbox().filter { $0.field == Schema.deletedField }.map(\.value)
        #expect(deletes == [true, false])
        #expect(syncError { try station.delete(type: "member", id: "nobody") }?.code == .notFound)
    }

    @Test("list filters on canonical values and honours the limit")
    func listFilters() throws {
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        for index in 1...5 {
            try station.put(
                type: "partnerUnit", id: "p-\(index)",
                fields: ["name": .string("单位\(index)"), "orgUnitId": "yc-t01", "kind": index.isMultiple(of: 2) ? "residentUnit" : "coBuildingUnit", "ratingOfUnit": .int(Int64(index))])
        }
        #expect(try station.list(type: "partnerUnit", matching: ["kind": "residentUnit"]).map(\.key.id) == ["p-2", "p-4"])
        #expect(try station.list(type: "partnerUnit", matching: ["ratingOfUnit": 3]).map(\.key.id) == ["p-3"])
        #expect(try station.list(type: "partnerUnit", limit: 2).count == 2)
        #expect(syncError { _ = try station.list(type: "partnerUnit", matching: ["colour": "red"]) }?.code == .unknownField)
    }
}
