import CountyWork
import Foundation
import SyncModel
import Testing

@Suite("The default schema")
struct DefaultSchemaTests {
    let schema: Schema

    init() throws {
        schema = try CountyWorkSchema.load()
    }

    @Test("The embedded JSON is Protocol/schema/county-work.json byte for byte")
    func embeddedJSONMatchesFile() throws {
        // Given the schema file of the protocol
        let file = try Fixture.data("Protocol/schema/county-work.json")
        // When the embedded copy is taken as UTF-8 bytes
        let embedded = Data(CountyWorkSchema.json.utf8)
        // Then they are the same bytes (run Scripts/embed-schema.sh if not)
        #expect(embedded == file, "DefaultSchema.swift is stale: run Scripts/embed-schema.sh")
    }

    @Test("It is county-work version 1 with every record type of DOMAIN.md")
    func nameVersionAndTypes() {
        // Given the decoded schema
        // Then its name, version and types are the domain's
        #expect(schema.name == "county-work")
        #expect(schema.version == 1)
        let domainTypes: Set<String> = [
            "orgUnit", "member", "transfer", "serviceOrder", "microWish", "volunteerTeam", "volunteerHours",
            "activity", "meeting", "partnerUnit", "demand", "resource", "project", "gridIncident",
        ]
        #expect(Set(schema.types.keys) == domainTypes)
        for (name, type) in schema.types {
            #expect(!type.description.isEmpty, "\(name) has no description")
        }
    }

    @Test(
        "Each field has the policy the domain asks for",
        arguments: [
            ("orgUnit", "parentId", MergePolicy.lww),
            ("member", "name", .lww),
            ("member", "orgUnitId", .lww),
            ("transfer", "state", .forward),
            ("serviceOrder", "state", .forward),
            ("microWish", "state", .forward),
            ("microWish", "claimedBy", .lww),
            ("volunteerTeam", "name", .lww),
            ("activity", "attendees", .set),
            ("meeting", "participants", .set),
            ("meeting", "minutes", .lww),
            ("meeting", "decisions", .lww),
            ("partnerUnit", "commitments", .lww),
            ("demand", "state", .forward),
            ("resource", "state", .forward),
            ("project", "state", .forward),
            ("project", "demandIds", .set),
            ("project", "resourceIds", .set),
            ("gridIncident", "state", .forward),
        ])
    func policies(type: String, field: String, policy: MergePolicy) {
        // Given a field the domain names
        // When its policy is looked up
        // Then it is the domain's
        #expect(schema.field(field, of: type)?.policy == policy)
    }

    @Test(
        "Forward fields list the domain's states in order",
        arguments: [
            ("transfer", ["requested", "released", "received"]),
            ("serviceOrder", ["ordered", "dispatched", "accepted", "done", "reviewed"]),
            ("microWish", ["posted", "claimed", "fulfilled"]),
            ("gridIncident", ["reported", "handling", "resolved"]),
        ])
    func forwardStates(type: String, states: [String]) throws {
        let spec = try #require(schema.field("state", of: type))
        #expect(spec.kind == .enum)
        #expect(spec.values == states)
        #expect(spec.required)
    }

    @Test("Time-bank entries are append-only, and every field of them is immutable")
    func volunteerHoursAppendOnly() throws {
        // Given the volunteerHours type
        let hours = try #require(schema.types["volunteerHours"])
        // Then it is append-only and no field of it can be edited
        #expect(hours.appendOnly)
        for field in hours.fields.keys {
            #expect(hours.effectivePolicy(of: field) == .immutable)
            #expect(hours.fields[field]?.policy == .immutable, "volunteerHours.\(field) should say immutable")
        }
        #expect(hours.fields["hours"]?.kind == .number)
        #expect(schema.types.filter { $0.value.appendOnly }.map(\.key) == ["volunteerHours"])
    }

    @Test("Personal data is exactly the phone and id numbers")
    func personalFields() {
        var personal: Set<String> = []
        for (typeName, type) in schema.types {
            for (fieldName, spec) in type.fields where spec.personal {
                personal.insert("\(typeName).\(fieldName)")
                #expect(spec.kind == .string)
            }
        }
        #expect(
            personal == [
                "member.phone", "member.idNumber", "serviceOrder.requesterPhone", "microWish.beneficiaryPhone",
                "partnerUnit.contactPhone",
            ])
    }

    @Test("Every record but an org unit is scoped by a required ref to an org unit")
    func scopes() throws {
        for (name, type) in schema.types {
            if name == "orgUnit" {
                #expect(type.scopeField == nil)
                continue
            }
            let scope = try #require(type.scopeField, "\(name) has no scope field")
            let spec = try #require(type.fields[scope])
            #expect(spec.kind == .ref && spec.ref == "orgUnit" && spec.required, "\(name).\(scope)")
        }
        #expect(schema.types["gridIncident"]?.scopeField == "gridId")
        #expect(schema.types["transfer"]?.scopeField == "fromOrgUnitId")
        #expect(schema.types["transfer"]?.alsoScopeFields == ["toOrgUnitId"])
        #expect(schema.field("toOrgUnitId", of: "transfer")?.ref == "orgUnit")
    }

    @Test("Every ref and set of ids names a record type of the schema")
    func refsResolve() {
        for (typeName, type) in schema.types {
            for (fieldName, spec) in type.fields {
                if spec.kind == .ref {
                    #expect(spec.ref != nil, "\(typeName).\(fieldName) names no type")
                }
                if let target = spec.ref {
                    #expect(schema.types[target] != nil, "\(typeName).\(fieldName) refers to unknown \(target)")
                    #expect(spec.kind == .ref || spec.kind == .set)
                }
            }
        }
        #expect(schema.field("claimedBy", of: "microWish")?.ref == "member")
        #expect(schema.field("attendees", of: "activity")?.ref == "member")
        #expect(schema.field("participants", of: "meeting")?.ref == "orgUnit")
        #expect(schema.field("teamId", of: "serviceOrder")?.ref == "volunteerTeam")
    }

    @Test("No type declares the implicit _deleted field")
    func noDeclaredDeletedField() {
        for (name, type) in schema.types {
            #expect(type.fields[Schema.deletedField] == nil, "\(name)")
            #expect(schema.field(Schema.deletedField, of: name) == FieldSpec.deleted)
        }
    }

    @Test("Encoding the schema and decoding it again gives the same schema")
    func codableRoundTrip() throws {
        // Given the schema
        // When it is encoded and decoded
        let data = try JSONEncoder().encode(schema)
        let again = try JSONDecoder().decode(Schema.self, from: data)
        // Then nothing is lost
        #expect(again == schema)
    }
}
