import CountyWork
import SyncClient
import SyncModel
import Testing

@Suite("FieldText: values typed by people")
struct FieldTextTests {
    let schema = try! CountyWorkSchema.load()

    @Test("FIELD=VALUE arguments are read by the field's kind")
    func kinds() throws {
        let write = try FieldText.write(
            type: "partnerUnit", id: "p-1",
            assignments: ["name=留安社区卫生站", "ratingOfUnit=4.5", "ratingYear=2024", "signedOn=2024-01-15", "commitments=", "kind=residentUnit"],
            schema: schema)
        #expect(write.id == "p-1")
        #expect(
            write.fields == [
                "name": "留安社区卫生站", "ratingOfUnit": 4.5, "ratingYear": 2024, "signedOn": "2024-01-15", "commitments": .null,
                "kind": "residentUnit",
            ])
    }

    @Test("set fields take +ELEMENT and -ELEMENT, several joined by commas")
    func sets() throws {
        let write = try FieldText.write(type: "activity", id: nil, assignments: ["attendees=+m-1,+m-2", "attendees=-m-3"], schema: schema)
        #expect(write.setChanges == ["attendees": ["m-1": true, "m-2": true, "m-3": false]])
    }

    @Test(
        "bad arguments are refused with a code",
        arguments: [
            (["birthYear=nineteen"], SyncErrorCode.invalidValue),
            (["name"], .invalidValue),
            (["=x"], .invalidValue),
            (["nickname=x"], .unknownField),
            (["phone+=x"], .unknownField),
        ])
    func refusals(assignments: [String], code: SyncErrorCode) {
        let error = syncError { _ = try FieldText.write(type: "member", id: nil, assignments: assignments, schema: schema) }
        #expect(error?.code == code)
    }

    @Test("numbers typed on a command line are read as the wire reads them (SPEC §3 Numbers)")
    func numbers() throws {
        // Given numbers written the ways people and scripts write them
        // When they are read for int and number fields
        // Then ints take any whole spelling, numbers round the decimal text to six places
        #expect(try FieldText.value("1961.0", kind: .int, path: "m.birthYear") == .int(1961))
        #expect(try FieldText.value("-1", kind: .int, path: "m.birthYear") == .int(-1))
        #expect(try FieldText.value("0.0000005", kind: .number, path: "s.fee") == .number(0.000001))
        #expect(try FieldText.value("-2.5", kind: .number, path: "s.fee") == .number(-2.5))
        #expect(try FieldText.value("3", kind: .number, path: "s.fee") == .int(3))
        #expect(syncError { _ = try FieldText.value("1961.5", kind: .int, path: "m.birthYear") }?.code == .invalidValue)
        #expect(syncError { _ = try FieldText.value("1e400", kind: .number, path: "s.fee") }?.code == .invalidValue)
        #expect(syncError { _ = try FieldText.value("9223372036854775808", kind: .int, path: "m.birthYear") }?.code == .invalidValue)
    }

    @Test("bool fields take true or false only")
    func bools() throws {
        #expect(try FieldText.value("true", kind: .bool, path: "x.y") == true)
        #expect(syncError { _ = try FieldText.value("yes", kind: .bool, path: "x.y") }?.code == .invalidValue)
    }

    @Test("JSON objects and import lines give fields, and arrays give exact sets")
    func json() throws {
        let write = try FieldText.write(
            type: "activity", id: "a-1", json: #"{"title": "主题党日", "attendees": ["m-1", "m-2"], "place": null}"#, schema: schema)
        #expect(write.fields == ["title": "主题党日", "place": .null])
        #expect(write.exactSets == ["attendees": ["m-1", "m-2"]])

        let line = try FieldText.importLine(#"{"type": "member", "id": "m-9", "fields": {"birthYear": 1958}}"#, schema: schema)
        #expect(line.type == "member" && line.id == "m-9" && line.fields == ["birthYear": 1958])
        #expect(syncError { _ = try FieldText.importLine("[1, 2]", schema: schema) }?.code == .invalidValue)
        #expect(syncError { _ = try FieldText.importLine(#"{"type": "nope"}"#, schema: schema) }?.code == .unknownType)
    }

    @Test(
        "an import line that names a key twice is refused, whichever object holds it",
        arguments: [
            #"{"type": "member", "id": "m-1", "fields": {"name": "林秀英", "name": "王建国"}}"#,
            #"{"type": "member", "type": "member", "fields": {}}"#,
            #"{"type": "member", "id": "m-1", "fields": {"name": "林秀英", "n\u0061me": "王建国"}}"#,
            #"{"type": "activity", "id": "a-1", "fields": {"attendees": ["m-1"], "title": "x", "attendees": []}}"#,
        ])
    func duplicateKeys(_ line: String) {
        let error = syncError { _ = try FieldText.importLine(line, schema: schema) }
        #expect(error?.code == .invalidValue)
        #expect(error?.message.contains("appears twice") == true, "\(String(describing: error))")
    }

    @Test("keys repeated in different objects, or as values, are not duplicates")
    func notDuplicates() throws {
        let write = try FieldText.importLine(
            #"{"type": "activity", "id": "a-1", "fields": {"title": "type", "place": "id", "attendees": ["fields", "fields"]}}"#, schema: schema)
        #expect(write.fields == ["title": "type", "place": "id"])
    }
}
