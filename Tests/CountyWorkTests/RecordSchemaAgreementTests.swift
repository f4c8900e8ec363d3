import CountyWork
import SyncModel
import Testing

/// The typed records say what the schema says: the same fields, kinds, required fields,
/// enum values, personal fields and scope.
@Suite("Typed records agree with the schema")
struct RecordSchemaAgreementTests {
    let schema: Schema

    init() throws {
        schema = try CountyWorkSchema.load()
    }

    @Test("There is one typed record for every record type, and a sample of each")
    func oneTypedRecordPerType() {
        let typed = CountyWorkSchema.recordTypes.map { $0.recordType }
        #expect(Set(typed) == Set(schema.types.keys))
        #expect(typed.count == schema.types.count)
        #expect(Samples.full.map { type(of: $0).recordType } == typed)
        #expect(Samples.minimal.map { type(of: $0).recordType } == typed)
        #expect(CountyWorkSchema.recordType(named: "member") == Member.self)
        #expect(CountyWorkSchema.recordType(named: "nobody") == nil)
    }

    @Test("A record with every field set writes exactly the schema's fields, each of its kind",
          arguments: Samples.full)
    func fullRecordCoversSchema(record: any CountyRecord) throws {
        // Given a record of a type with every field set
        let typeName = type(of: record).recordType
        let type = try #require(schema.types[typeName])
        // When its fields are listed
        let scalars = record.fields
        let sets = record.setFields
        // Then the scalar fields are the schema's non-set fields, the set fields its set fields
        #expect(Set(scalars.keys) == Set(type.fields.filter { $0.value.kind != .set }.keys), "\(typeName)")
        #expect(Set(sets.keys) == Set(type.fields.filter { $0.value.kind == .set }.keys), "\(typeName)")
        // And each value has the JSON type of its field's kind
        for (name, value) in scalars {
            let kind = try #require(type.fields[name]?.kind)
            switch (kind, value) {
            case (.string, .string), (.text, .string), (.date, .string), (.ref, .string), (.enum, .string),
                (.int, .int), (.number, .number), (.bool, .bool):
                break
            default:
                Issue.record("\(typeName).\(name): a \(kind.rawValue) field written as \(value.kindName)")
            }
            if let allowed = type.fields[name]?.values, !allowed.isEmpty, let text = value.stringValue {
                #expect(allowed.contains(text), "\(typeName).\(name): \(text)")
            }
        }
    }

    @Test("A record with only its required fields writes exactly the schema's required fields",
          arguments: Samples.minimal)
    func minimalRecordIsRequiredFields(record: any CountyRecord) throws {
        let typeName = type(of: record).recordType
        let type = try #require(schema.types[typeName])
        let required = Set(type.fields.filter { $0.value.required }.keys)
        #expect(Set(record.fields.keys) == required, "\(typeName)")
        #expect(record.setFields.values.allSatisfy { $0.isEmpty })
    }

    @Test("Personal fields and the scope are the schema's", arguments: Samples.full)
    func personalFieldsAndScope(record: any CountyRecord) throws {
        let recordType = Swift.type(of: record)
        let type = try #require(schema.types[recordType.recordType])
        #expect(recordType.personalFields == Set(type.fields.filter { $0.value.personal }.keys))
        if let scopeField = type.scopeField {
            #expect(record.fields[scopeField] == .string(record.scope))
        } else {
            #expect(record.scope == record.id)
        }
    }

    @Test(
        "Swift enums list the schema's values, in order",
        arguments: [
            ("orgUnit", "kind", OrgUnit.Kind.allCases.map(\.rawValue)),
            ("orgUnit", "orgForm", OrgUnit.OrgForm.allCases.map(\.rawValue)),
            ("member", "gender", Member.Gender.allCases.map(\.rawValue)),
            ("member", "category", Member.Category.allCases.map(\.rawValue)),
            ("transfer", "state", Transfer.State.allCases.map(\.rawValue)),
            ("serviceOrder", "category", ServiceOrder.Category.allCases.map(\.rawValue)),
            ("serviceOrder", "state", ServiceOrder.State.allCases.map(\.rawValue)),
            ("microWish", "state", MicroWish.State.allCases.map(\.rawValue)),
            ("activity", "kind", Activity.Kind.allCases.map(\.rawValue)),
            ("meeting", "kind", Meeting.Kind.allCases.map(\.rawValue)),
            ("partnerUnit", "kind", PartnerUnit.Kind.allCases.map(\.rawValue)),
            ("demand", "category", Demand.Category.allCases.map(\.rawValue)),
            ("demand", "state", Demand.State.allCases.map(\.rawValue)),
            ("resource", "category", Resource.Category.allCases.map(\.rawValue)),
            ("resource", "state", Resource.State.allCases.map(\.rawValue)),
            ("project", "state", Project.State.allCases.map(\.rawValue)),
            ("gridIncident", "category", GridIncident.Category.allCases.map(\.rawValue)),
            ("gridIncident", "state", GridIncident.State.allCases.map(\.rawValue)),
        ])
    func enumValues(type: String, field: String, values: [String]) {
        #expect(schema.field(field, of: type)?.values == values)
    }

    @Test("Every enum field of the schema has a Swift enum")
    func everyEnumFieldIsTyped() {
        // The arguments of enumValues above, by type and field.
        let typed: Set<String> = [
            "orgUnit.kind", "orgUnit.orgForm", "member.gender", "member.category", "transfer.state",
            "serviceOrder.category", "serviceOrder.state", "microWish.state", "activity.kind", "meeting.kind",
            "partnerUnit.kind", "demand.category", "demand.state", "resource.category", "resource.state",
            "project.state", "gridIncident.category", "gridIncident.state",
        ]
        var enums: Set<String> = []
        for (typeName, type) in schema.types {
            for (fieldName, spec) in type.fields where spec.kind == .enum {
                enums.insert("\(typeName).\(fieldName)")
            }
        }
        #expect(enums == typed)
    }
}
