import Foundation
import SyncModel
import Testing

/// One edit of ``SchemaCompatibilityTests/base`` and the difference it must produce.
struct SchemaEdit: Sendable, CustomTestStringConvertible {
    var name: String
    var type: String?
    var field: String?
    var aspect: SchemaDifference.Aspect
    var impact: SchemaDifference.Impact
    var version = 2
    var apply: @Sendable (inout [String: RecordType]) -> Void

    var testDescription: String { name }

    /// The base schema edited, as version `version`.
    func edited() throws -> Schema {
        var types = SchemaCompatibilityTests.base.types
        apply(&types)
        return try Schema(name: "compat", version: version, types: types)
    }
}

/// The compatible-successor rule (SPEC §9), one test per kind of difference.
@Suite("Schema compatibility")
struct SchemaCompatibilityTests {
    /// A small schema with a field of every shape the rule looks at.
    static let base: Schema = {
        let note = RecordType(
            description: "a note", scopeField: "unit",
            fields: [
                "unit": FieldSpec(kind: .ref, ref: "unit", required: true),
                "owner": FieldSpec(kind: .ref, ref: "unit"),
                "title": FieldSpec(kind: .string, required: true, maxLength: 40),
                "body": FieldSpec(kind: .text),
                "count": FieldSpec(kind: .int, minimum: 0, maximum: 10),
                "score": FieldSpec(kind: .number, minimum: -5, maximum: 5),
                "colour": FieldSpec(kind: .enum, values: ["red", "green", "blue"]),
                "state": FieldSpec(kind: .enum, policy: .forward, values: ["new", "open", "closed"]),
                "tags": FieldSpec(kind: .set, policy: .set),
                "code": FieldSpec(kind: .string, policy: .immutable),
                "phone": FieldSpec(kind: .string, personal: true),
            ])
        let entry = RecordType(
            description: "a ledger entry", scopeField: "unit", appendOnly: true,
            fields: ["unit": FieldSpec(kind: .ref, ref: "unit", required: true), "amount": FieldSpec(kind: .number)])
        let move = RecordType(
            description: "a move between units", scopeField: "unit", alsoScopeFields: ["to"],
            fields: ["unit": FieldSpec(kind: .ref, ref: "unit", required: true), "to": FieldSpec(kind: .ref, ref: "unit", required: true)])
        let unit = RecordType(
            description: "an org unit", scopeField: nil,
            fields: ["name": FieldSpec(kind: .string), "parentId": FieldSpec(kind: .ref, ref: "unit")])
        return try! Schema(name: "compat", version: 1, types: ["note": note, "entry": entry, "move": move, "unit": unit])
    }()

    static let breaking: [SchemaEdit] = [
        SchemaEdit(name: "a type removed", type: "entry", aspect: .type, impact: .breaking) { $0["entry"] = nil },
        SchemaEdit(name: "a type renamed", type: "entry", aspect: .type, impact: .breaking) {
            $0["ledger"] = $0["entry"]
            $0["entry"] = nil
        },
        SchemaEdit(name: "a field removed", type: "note", field: "body", aspect: .field, impact: .breaking) { $0["note"]!.fields["body"] = nil },
        SchemaEdit(name: "a field renamed", type: "note", field: "body", aspect: .field, impact: .breaking) {
            $0["note"]!.fields["text"] = $0["note"]!.fields["body"]
            $0["note"]!.fields["body"] = nil
        },
        SchemaEdit(name: "a kind changed", type: "note", field: "count", aspect: .kind, impact: .breaking) {
            $0["note"]!.fields["count"] = FieldSpec(kind: .number)
        },
        SchemaEdit(name: "a policy changed", type: "note", field: "code", aspect: .policy, impact: .breaking) {
            $0["note"]!.fields["code"]!.policy = .lww
        },
        SchemaEdit(name: "an enum value removed", type: "note", field: "colour", aspect: .values, impact: .breaking) {
            $0["note"]!.fields["colour"]!.values = ["red", "blue"]
        },
        SchemaEdit(name: "a forward state removed", type: "note", field: "state", aspect: .values, impact: .breaking) {
            $0["note"]!.fields["state"]!.values = ["new", "closed"]
        },
        SchemaEdit(name: "forward states reordered", type: "note", field: "state", aspect: .values, impact: .breaking) {
            $0["note"]!.fields["state"]!.values = ["open", "new", "closed"]
        },
        SchemaEdit(name: "a forward state inserted before the end", type: "note", field: "state", aspect: .values, impact: .breaking) {
            $0["note"]!.fields["state"]!.values = ["new", "open", "held", "closed"]
        },
        SchemaEdit(name: "a shorter maxLength", type: "note", field: "title", aspect: .maxLength, impact: .breaking) {
            $0["note"]!.fields["title"]!.maxLength = 20
        },
        SchemaEdit(name: "a maxLength below the kind's limit added", type: "note", field: "body", aspect: .maxLength, impact: .breaking) {
            $0["note"]!.fields["body"]!.maxLength = 1_000
        },
        SchemaEdit(name: "a lower max", type: "note", field: "count", aspect: .range, impact: .breaking) {
            $0["note"]!.fields["count"]!.maximum = 8
        },
        SchemaEdit(name: "a higher min", type: "note", field: "score", aspect: .range, impact: .breaking) {
            $0["note"]!.fields["score"]!.minimum = -4.5
        },
        SchemaEdit(name: "a min added where there was none", type: "entry", field: "amount", aspect: .range, impact: .breaking) {
            $0["entry"]!.fields["amount"]!.minimum = 0
        },
        SchemaEdit(name: "a new required field on an existing type", type: "note", field: "due", aspect: .field, impact: .breaking) {
            $0["note"]!.fields["due"] = FieldSpec(kind: .date, required: true)
        },
        SchemaEdit(name: "an optional field made required", type: "note", field: "body", aspect: .required, impact: .breaking) {
            $0["note"]!.fields["body"]!.required = true
        },
        SchemaEdit(name: "a changed scopeField", type: "note", aspect: .scopeField, impact: .breaking) { $0["note"]!.scopeField = "owner" },
        SchemaEdit(name: "changed alsoScopeFields", type: "move", aspect: .alsoScopeFields, impact: .breaking) { $0["move"]!.alsoScopeFields = [] },
        SchemaEdit(name: "a changed ref target", type: "note", field: "owner", aspect: .ref, impact: .breaking) {
            $0["note"]!.fields["owner"]!.ref = "note"
        },
        SchemaEdit(name: "appendOnly turned off", type: "entry", aspect: .appendOnly, impact: .breaking) { $0["entry"]!.appendOnly = false },
        SchemaEdit(name: "appendOnly turned on", type: "move", aspect: .appendOnly, impact: .breaking) { $0["move"]!.appendOnly = true },
        SchemaEdit(name: "a field made personal", type: "note", field: "title", aspect: .personal, impact: .breaking) {
            $0["note"]!.fields["title"]!.personal = true
        },
        SchemaEdit(name: "a personal field made public", type: "note", field: "phone", aspect: .personal, impact: .breaking) {
            $0["note"]!.fields["phone"]!.personal = false
        },
        SchemaEdit(name: "the org unit's parent field changed", type: "unit", aspect: .orgTree, impact: .breaking) {
            $0["unit"]!.fields["parentId"] = nil
            $0["unit"]!.fields["above"] = FieldSpec(kind: .ref, ref: "unit")
        },
        SchemaEdit(name: "the same version again", aspect: .version, impact: .breaking, version: 1) { _ in },
        SchemaEdit(name: "a version skipped", aspect: .version, impact: .breaking, version: 3) { _ in },
    ]

    @Test("each breaking change is refused and named", arguments: breaking)
    func breakingChange(edit: SchemaEdit) throws {
        // Given: the base schema with one breaking edit, as the next version
        let edited = try edit.edited()
        // When: it is compared with the base
        let differences = edited.differences(from: Self.base)
        // Then: the difference is found, breaking, at its place
        let found = try #require(differences.first { $0.aspect == edit.aspect && $0.type == edit.type && $0.field == edit.field })
        #expect(found.impact == .breaking)
        #expect(!edited.isCompatibleSuccessor(of: Self.base))
        // And the refusal is schema_incompatible, naming the change in a sentence
        let error = #expect(throws: SyncError.self) { try edited.checkCompatibleSuccessor(of: Self.base) }
        #expect(error?.code == .schemaIncompatible)
        #expect(error?.message.contains(found.sentence) == true)
        #expect(error?.message.hasPrefix("compat/\(edit.version) is not a compatible successor of compat/1: ") == true)
    }

    static let additive: [SchemaEdit] = [
        SchemaEdit(name: "a new type", type: "visit", aspect: .type, impact: .additive) {
            $0["visit"] = RecordType(scopeField: "unit", fields: [
                "unit": FieldSpec(kind: .ref, ref: "unit", required: true), "date": FieldSpec(kind: .date, required: true)])
        },
        SchemaEdit(name: "a new optional field", type: "note", field: "due", aspect: .field, impact: .additive) {
            $0["note"]!.fields["due"] = FieldSpec(kind: .date)
        },
        SchemaEdit(name: "a new enum value, anywhere", type: "note", field: "colour", aspect: .values, impact: .additive) {
            $0["note"]!.fields["colour"]!.values = ["yellow", "red", "green", "blue"]
        },
        SchemaEdit(name: "a new forward state after the last one", type: "note", field: "state", aspect: .values, impact: .additive) {
            $0["note"]!.fields["state"]!.values += ["archived"]
        },
        SchemaEdit(name: "a longer maxLength", type: "note", field: "title", aspect: .maxLength, impact: .additive) {
            $0["note"]!.fields["title"]!.maxLength = 200
        },
        SchemaEdit(name: "a maxLength removed", type: "note", field: "title", aspect: .maxLength, impact: .additive) {
            $0["note"]!.fields["title"]!.maxLength = nil
        },
        SchemaEdit(name: "a wider range", type: "note", field: "score", aspect: .range, impact: .additive) {
            $0["note"]!.fields["score"]!.minimum = -10
            $0["note"]!.fields["score"]!.maximum = nil
        },
        SchemaEdit(name: "a field made optional", type: "note", field: "title", aspect: .required, impact: .additive) {
            $0["note"]!.fields["title"]!.required = false
        },
        SchemaEdit(name: "a description changed", type: "note", aspect: .description, impact: .cosmetic) {
            $0["note"]!.description = "a note, revised"
        },
        SchemaEdit(name: "enum values reordered", type: "note", field: "colour", aspect: .values, impact: .cosmetic) {
            $0["note"]!.fields["colour"]!.values = ["blue", "red", "green"]
        },
        SchemaEdit(name: "the kind's limit written out", type: "note", field: "body", aspect: .maxLength, impact: .cosmetic) {
            $0["note"]!.fields["body"]!.maxLength = 65_536
        },
        SchemaEdit(name: "a declared policy in an append-only type", type: "entry", field: "amount", aspect: .policy, impact: .cosmetic) {
            $0["entry"]!.fields["amount"]!.policy = .immutable
        },
    ]

    @Test("each additive or cosmetic change is allowed", arguments: additive)
    func additiveChange(edit: SchemaEdit) throws {
        // Given: the base schema with one additive edit, as the next version
        let edited = try edit.edited()
        // When: it is compared with the base
        let differences = edited.differences(from: Self.base)
        // Then: exactly that difference is found, and the edit is a compatible successor
        #expect(differences.map(\.aspect) == [edit.aspect])
        #expect(differences.first?.impact == edit.impact)
        #expect(differences.first?.type == edit.type && differences.first?.field == edit.field)
        #expect(edited.isCompatibleSuccessor(of: Self.base))
        try edited.checkCompatibleSuccessor(of: Self.base)
    }

    @Test("the next version with nothing changed is a compatible successor with no differences")
    func unchangedNextVersion() throws {
        let next = try Schema(name: "compat", version: 2, types: Self.base.types)
        #expect(next.differences(from: Self.base).isEmpty)
        #expect(next.isCompatibleSuccessor(of: Self.base))
    }

    @Test("a removed field that reappears under another name is named as a likely rename")
    func renameHint() throws {
        let edited = try Self.breaking.first { $0.name == "a field renamed" }!.edited()
        let removal = try #require(edited.differences(from: Self.base).first { $0.field == "body" })
        #expect(removal.sentence.contains("(renamed to text?)"))
    }

    @Test("the refusal names every breaking change, another name included")
    func everyBreakingChangeNamed() throws {
        // Given: a schema of another name, with a removed field and a narrowed range
        var types = Self.base.types
        types["note"]!.fields["code"] = nil
        types["note"]!.fields["count"]!.maximum = 5
        let other = try Schema(name: "other", version: 2, types: types)
        // When: it is checked
        let error = #expect(throws: SyncError.self) { try other.checkCompatibleSuccessor(of: Self.base) }
        // Then: each of the three is in the one sentence, in a stable order
        let message = try #require(error?.message)
        let name = try #require(message.range(of: "the name is \"other\""))
        let code = try #require(message.range(of: "field note.code was removed"))
        let count = try #require(message.range(of: "note.count would take a narrower range (from 0 to 10 → from 0 to 5)"))
        #expect(name.lowerBound < code.lowerBound && code.lowerBound < count.lowerBound)
    }
}
