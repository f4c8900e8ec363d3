import CountyWork
import SyncModel
import Testing

@Suite("Reading a record from bad fields fails clearly")
struct RecordErrorTests {
    /// The fields of a valid service order.
    let order: [String: FieldValue] = [
        "orgUnitId": "yc-t01-c01", "requester": "陈大爷", "category": "elderCare", "state": "ordered",
        "orderedOn": "2025-04-02",
    ]

    /// The ``SyncError`` thrown by `body`, or `nil` when it throws none.
    func thrownError(_ body: () throws -> Void) -> SyncError? {
        do {
            try body()
            return nil
        } catch let error as SyncError {
            return error
        } catch {
            Issue.record("expected a SyncError, got \(error)")
            return nil
        }
    }

    @Test("The valid order reads")
    func validOrder() throws {
        let read = try ServiceOrder(id: "so-1", fields: order)
        #expect(read.state == .ordered && read.category == .elderCare)
    }

    @Test("A missing required field is missing_field, naming the type and field",
          arguments: ["orgUnitId", "requester", "category", "state", "orderedOn"])
    func missingField(field: String) throws {
        // Given the order's fields without one required field
        var fields = order
        fields[field] = nil
        // When an order is read from them
        let thrown = try #require(thrownError { _ = try ServiceOrder(id: "so-1", fields: fields) })
        // Then the error says which field is missing
        #expect(thrown.code == .missingField)
        #expect(thrown.message.contains("serviceOrder"))
        #expect(thrown.message.contains("\"\(field)\""))
    }

    @Test("A null required field is missing too")
    func nullRequiredField() throws {
        var fields = order
        fields["requester"] = .null
        let thrown = try #require(thrownError { _ = try ServiceOrder(id: "so-1", fields: fields) })
        #expect(thrown.code == .missingField)
    }

    @Test(
        "A value of the wrong JSON type is wrong_kind",
        arguments: [
            ("requester", FieldValue.int(7)),
            ("orderedOn", .bool(true)),
            ("state", .number(2)),
            ("rating", .string("five")),
            ("rating", .number(4.5)),
            ("description", .int(1)),
            ("teamId", .bool(false)),
        ])
    func wrongKind(field: String, value: FieldValue) throws {
        // Given the order's fields with one ill-typed value
        var fields = order
        fields[field] = value
        // When an order is read from them
        let thrown = try #require(thrownError { _ = try ServiceOrder(id: "so-1", fields: fields) })
        // Then the error is wrong_kind and names the field and the kind found
        #expect(thrown.code == .wrongKind)
        #expect(thrown.message.contains("serviceOrder.\(field)"))
        #expect(thrown.message.contains(value.kindName))
    }

    @Test("A number where a number belongs may not be infinite")
    func infiniteNumber() throws {
        let fields: [String: FieldValue] = [
            "memberId": "m-1", "orgUnitId": "yc-t01", "date": "2025-01-01", "hours": .number(.infinity),
        ]
        let thrown = try #require(thrownError { _ = try VolunteerHours(id: "vh-1", fields: fields) })
        #expect(thrown.code == .wrongKind)
    }

    @Test(
        "A string that is no allowed state, category or date is invalid_value",
        arguments: [
            ("state", FieldValue.string("cancelled"), "ordered, dispatched, accepted, done, reviewed"),
            ("category", "plumbing", "legalAdvice"),
            ("orderedOn", "2025-02-30", "YYYY-MM-DD"),
            ("doneOn", "4/2/2025", "YYYY-MM-DD"),
        ])
    func invalidValue(field: String, value: FieldValue, hint: String) throws {
        var fields = order
        fields[field] = value
        let thrown = try #require(thrownError { _ = try ServiceOrder(id: "so-1", fields: fields) })
        #expect(thrown.code == .invalidValue)
        #expect(thrown.message.contains("serviceOrder.\(field)"))
        #expect(thrown.message.contains(hint))
    }

    @Test("A malformed record id, ref or set element is malformed_id")
    func malformedIDs() throws {
        // Given a record id with a space, a ref with Chinese text and a set element that is empty
        let badID = thrownError { _ = try ServiceOrder(id: "so 1", fields: order) }
        var fields = order
        fields["orgUnitId"] = "桃城镇"
        let badRef = thrownError { _ = try ServiceOrder(id: "so-1", fields: fields) }
        let activity: [String: FieldValue] = [
            "orgUnitId": "yc-t01", "kind": "memberDay", "date": "2025-05-24", "title": "党员日",
        ]
        let badElement = thrownError {
            _ = try Activity(id: "act-1", fields: activity, setFields: ["attendees": ["m-1", ""]])
        }
        // Then each is refused as malformed
        #expect(badID?.code == .malformedID)
        #expect(badRef?.code == .malformedID)
        #expect(badRef?.message.contains("serviceOrder.orgUnitId") == true)
        #expect(badElement?.code == .malformedID)
        #expect(badElement?.message.contains("activity.attendees") == true)
    }

    @Test("Every type refuses an empty field map with missing_field", arguments: CountyWorkSchema.recordTypes.map {
        $0.recordType
    })
    func emptyFields(typeName: String) throws {
        let type = try #require(CountyWorkSchema.recordType(named: typeName))
        let thrown = thrownError { _ = try type.init(id: "x-1", fields: [:]) }
        #expect(thrown?.code == .missingField)
    }
}
