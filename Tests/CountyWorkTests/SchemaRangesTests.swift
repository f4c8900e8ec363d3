import CountyWork
import Foundation
import SyncModel
import Testing

/// The limits and ranges of the default schema, the typed records within them, and the example
/// county extension (Protocol/examples/county-work-2.json) as a compatible successor.
@Suite("County-work ranges and its example extension")
struct SchemaRangesTests {
    let schema: Schema

    init() throws {
        schema = try CountyWorkSchema.load()
    }

    @Test(
        "values a clerk would never mean are out of range",
        arguments: [
            ("serviceOrder", "rating", 1.0, 5.0),
            ("member", "birthYear", 1900, 2100),
            ("volunteerHours", "hours", -24, 24),
            ("partnerUnit", "ratingOfUnit", 0, 100),
            ("partnerUnit", "ratingByUnit", 0, 100),
            ("partnerUnit", "ratingYear", 2000, 2100),
        ])
    func ranges(type: String, field: String, low: Double, high: Double) throws {
        let spec = try #require(schema.field(field, of: type))
        #expect(spec.minimum == low && spec.maximum == high)
    }

    @Test("an id number is at most 18 characters, a phone number at most 32")
    func lengths() {
        #expect(schema.field("idNumber", of: "member")?.maxLength == 18)
        for (type, field) in [("member", "phone"), ("serviceOrder", "requesterPhone"), ("microWish", "beneficiaryPhone"), ("partnerUnit", "contactPhone")] {
            #expect(schema.field(field, of: type)?.maxLength == 32, "\(type).\(field)")
        }
    }

    @Test("a rating of 9 and a correction of a whole week are refused with the range in the sentence")
    func refusals() throws {
        let context = ValidationContext(wallMillis: 1 << 42)
        func change(_ type: String, _ field: String, _ value: FieldValue) -> Change {
            Change(site: SiteID(rawValue: 3), seq: 1, hlc: HLC(rawValue: 1 << 30), type: type, id: "r-1", scope: "yc-t01", field: field, value: value)
        }
        let rating = #expect(throws: SyncError.self) { try schema.validate(change("serviceOrder", "rating", 9), in: context) }
        #expect(rating?.code == .invalidValue)
        #expect(rating?.message == "serviceOrder.rating is from 1 to 5; got 9")
        let hours = #expect(throws: SyncError.self) { try schema.validate(change("volunteerHours", "hours", -40), in: context) }
        #expect(hours?.message == "volunteerHours.hours is from -24 to 24; got -40")
        // A correction of one entry's hours is a negative entry within the range.
        #expect(try schema.validate(change("volunteerHours", "hours", .number(-7.5)), in: context).value == .number(-7.5))
    }

    @Test("every field of the full sample records is valid under the schema", arguments: Samples.full)
    func samplesAreValid(record: any CountyRecord) throws {
        let typeName = Swift.type(of: record).recordType
        for (field, value) in record.fields {
            let change = Change(
                site: SiteID(rawValue: 3), seq: 1, hlc: HLC(rawValue: 1 << 30), type: typeName, id: record.id, scope: record.scope,
                field: field, value: value)
            #expect(throws: Never.self, "\(typeName).\(field)") { try schema.validate(change, in: ValidationContext(wallMillis: 1 << 42)) }
        }
    }

    @Test("the example extension county-work/2 is a compatible successor of the default schema")
    func exampleExtension() throws {
        // Given: Protocol/examples/county-work-2.json
        let extended = try JSONDecoder().decode(Schema.self, from: Fixture.data("Protocol/examples/county-work-2.json"))
        // When: it is compared with county-work/1
        let differences = extended.differences(from: schema)
        // Then: it is the next version and adds the tea-house talks, a member field and a meeting kind
        #expect(WireProtocol.schemaTag(extended) == "county-work/2")
        #expect(extended.isCompatibleSuccessor(of: schema), "\(differences.filter { $0.impact == .breaking }.map(\.sentence))")
        let additive = Set(differences.filter { $0.impact == .additive }.map(\.place))
        #expect(additive == ["teaHouseMeeting", "member.onlineGroup", "meeting.kind"])
        let teaHouse = try #require(extended.types["teaHouseMeeting"])
        #expect(teaHouse.scopeField == "orgUnitId")
        #expect(teaHouse.fields["attendees"]?.policy == .set)
        #expect(teaHouse.fields["followUp"]?.policy == .forward)
        #expect(extended.field("kind", of: "meeting")?.values.last == "courtyardMeeting")
    }
}
