import CountyWork
import SyncModel
import Testing

/// Reads a record of the same type back from `record`'s fields.
private func readBack<T: CountyRecord>(_ record: T) throws(SyncError) -> T {
    try T(id: record.id, fields: record.fields, setFields: record.setFields)
}

/// Whether reading `record` back from its fields gives `record`.
private func roundTrips<T: CountyRecord>(_ record: T) throws(SyncError) -> Bool {
    try readBack(record) == record
}

@Suite("Typed records round-trip through their fields")
struct RecordRoundTripTests {
    @Test("A record with every field set reads back equal", arguments: Samples.full)
    func fullRoundTrip(record: any CountyRecord) throws {
        // Given a record with every field set
        // When it is written to fields and read back
        // Then it is the same record
        #expect(try roundTrips(record), "\(record.logDescription)")
    }

    @Test("A record with only its required fields reads back equal", arguments: Samples.minimal)
    func minimalRoundTrip(record: any CountyRecord) throws {
        #expect(try roundTrips(record), "\(record.logDescription)")
    }

    @Test("Fields are written as plain JSON values")
    func fieldValues() {
        // Given a member
        let member = Member(
            id: "m-9", name: "王芳", birthYear: 1990, joinedOn: Samples.day("2015-07-01"), orgUnitId: "yc-t03-v02",
            category: .floating)
        // When its fields are listed
        // Then dates are strings, states their raw values, and unset fields absent
        #expect(
            member.fields == [
                "name": "王芳", "birthYear": 1990, "joinedOn": "2015-07-01", "orgUnitId": "yc-t03-v02",
                "category": "floating",
            ])
    }

    @Test("Set fields are read from the set map, not the scalar map")
    func setFields() throws {
        // Given an activity's scalar fields and its attendees
        let scalars: [String: FieldValue] = [
            "orgUnitId": "yc-t01", "kind": "memberDay", "date": "2025-05-24", "title": "党员日",
        ]
        // When it is read with and without the set map
        let withSets = try Activity(id: "act-9", fields: scalars, setFields: ["attendees": ["m-1", "m-2"]])
        let without = try Activity(id: "act-9", fields: scalars)
        // Then the attendees come only from the set map
        #expect(withSets.attendees == ["m-1", "m-2"])
        #expect(without.attendees.isEmpty)
        #expect(withSets.fields["attendees"] == nil)
        #expect(withSets.setFields == ["attendees": ["m-1", "m-2"]])
    }

    @Test("A type without set fields has an empty set map and ignores one given")
    func noSetFields() throws {
        let unit = try OrgUnit(id: "yc", fields: ["name": "永春县", "kind": "county"], setFields: ["x": ["y"]])
        #expect(unit.setFields.isEmpty)
        #expect(unit == OrgUnit(id: "yc", name: "永春县", kind: .county))
    }

    @Test("Unknown fields are ignored and null counts as absent")
    func unknownAndNullFields() throws {
        // Given fields from a newer schema, and a cleared optional field
        let fields: [String: FieldValue] = [
            "name": "仙阁村", "kind": "village", "parentId": "yc-t03", "orgForm": nil, "newField": 42,
        ]
        // When an org unit is read from them
        let unit = try OrgUnit(id: "yc-t03-v01", fields: fields)
        // Then the known fields are read and the rest is ignored
        #expect(unit == OrgUnit(id: "yc-t03-v01", name: "仙阁村", kind: .village, parentId: "yc-t03"))
    }

    @Test("An integer is a valid number")
    func integerIsANumber() throws {
        let hours = try VolunteerHours(
            id: "vh-9", fields: ["memberId": "m-1", "orgUnitId": "yc-t01", "date": "2025-01-01", "hours": 3])
        #expect(hours.hours == 3)
        #expect(hours.fields["hours"] == .number(3))
    }

    @Test("A correction of a time-bank entry cancels its hours")
    func correction() {
        let entry = Samples.full.compactMap { $0 as? VolunteerHours }[0]
        let correction = entry.correction(id: "vh-01-fix", note: "重复录入")
        #expect(correction.hours + entry.hours == 0)
        #expect(correction.memberId == entry.memberId && correction.orgUnitId == entry.orgUnitId)
        #expect(correction.id == "vh-01-fix" && correction.date == entry.date)
    }

    @Test("Log descriptions leave personal data out")
    func logDescriptionHidesPersonalData() {
        // Given records holding phone and id numbers
        for record in Samples.full {
            // When they are described for a log
            let line = record.logDescription
            // Then no personal value appears, and the other fields do
            for field in type(of: record).personalFields {
                if let value = record.fields[field]?.stringValue {
                    #expect(!line.contains(value), "\(line)")
                }
            }
            #expect(line.hasPrefix("\(type(of: record).recordType) \(record.id) {"))
        }
        let member = Samples.full.compactMap { $0 as? Member }[0]
        #expect(member.logDescription.contains("phone: <personal>"))
        #expect(member.logDescription.contains(#"name: "林秀英""#))
    }

    @Test("Log descriptions show any number, even one the canonical text cannot hold")
    func logDescriptionOfHugeNumbers() {
        var entry = Samples.full.compactMap { $0 as? VolunteerHours }[0]
        entry.hours = 1e15
        #expect(entry.logDescription.contains("hours: 1000000000000000.0"))
        entry.hours = .infinity
        #expect(entry.logDescription.contains("hours: inf"))
    }

    @Test("Forward states order as the schema lists them and join to the furthest")
    func forwardStates() {
        #expect(ServiceOrder.State.ordered < .dispatched)
        #expect(ServiceOrder.State.done < .reviewed)
        #expect(ServiceOrder.State.allCases.map(\.rank) == Array(0..<5))
        #expect(ServiceOrder.State.accepted.joined(with: .dispatched) == .accepted)
        #expect(MicroWish.State.claimed.joined(with: .fulfilled) == .fulfilled)
        #expect(Transfer.State.allCases.sorted() == Transfer.State.allCases)
        #expect(GridIncident.State.resolved > .handling)
    }
}
