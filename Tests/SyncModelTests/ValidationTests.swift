import SyncModel
import Testing
import TributaryTestSupport

@Suite("Validation refuses bad changes with stable codes")
struct ValidationTests {
    static let site = SiteID(rawValue: 7)

    static func change(
        type: String = "note", id: String = "n1", scope: String = "u1", field: String = "title",
        element: String? = nil, value: FieldValue = "t", seq: UInt64 = 1, millis: UInt64 = 1_000,
        bases: [Version] = []
    ) -> Change {
        Change(
            site: site, seq: seq, hlc: HLC(millis: millis, counter: 0), type: type, id: id, scope: scope, field: field,
            element: element, value: value, bases: bases)
    }

    static let old = Version(hlc: HLC(millis: 1, counter: 0), site: SiteID(rawValue: 3))

    static let cases: [(String, Change, SyncErrorCode)] = [
        ("unknown type", change(type: "nosuch"), .unknownType),
        ("unknown field", change(field: "nosuch"), .unknownField),
        ("wrong kind", change(field: "count", value: "three"), .wrongKind),
        ("bool for text", change(field: "title", value: true), .wrongKind),
        ("unknown state", change(field: "state", value: "flying"), .invalidValue),
        ("bad date", change(field: "due", value: "2026-02-30"), .invalidValue),
        ("forward cleared", change(field: "state", value: .null), .invalidValue),
        ("too long", change(field: "title", value: .string(String(repeating: "长", count: 1_025))), .invalidValue),
        ("huge number", change(field: "score", value: .number(2e12)), .invalidValue),
        ("immutable update", change(field: "code", value: "c", bases: [old]), .immutableField),
        ("append-only update", change(type: "entry", id: "e1", field: "amount", value: 1, bases: [old]), .appendOnly),
        ("append-only delete", change(type: "entry", id: "e1", field: "_deleted", value: true), .appendOnly),
        ("malformed id", change(id: "has space"), .malformedID),
        ("malformed scope", change(scope: ""), .malformedID),
        ("bad ref", change(field: "unit", value: "a/b"), .malformedID),
        ("set without element", change(field: "tags", value: true), .malformedChange),
        ("element on scalar", change(field: "title", element: "x"), .malformedChange),
        ("set element not bool", change(field: "tags", element: "x", value: "yes"), .wrongKind),
        ("seq zero", change(seq: 0), .malformedChange),
        ("base not older", change(bases: [Version(hlc: HLC(millis: 5_000, counter: 0), site: SiteID(rawValue: 1))]), .malformedChange),
        ("clock skew", change(millis: 1_000 + 600_001), .clockSkew),
    ]

    @Test("each bad change is refused with its code", arguments: 0..<cases.count)
    func refused(index: Int) {
        let (name, change, code) = Self.cases[index]
        // Given: a receiver whose wall clock reads 1,000 ms.
        let context = ValidationContext(wallMillis: 1_000)
        // When / Then: the change is refused with the expected code.
        #expect(throws: SyncError.self, "\(name)") { try TestSchemas.mixed.validate(change, in: context) }
        do {
            _ = try TestSchemas.mixed.validate(change, in: context)
        } catch {
            #expect(error.code == code, "\(name): \(error.message)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test("a refused change never aborts the rest of its batch")
    func refusalDoesNotAbort() {
        var replica = MemoryReplica(schema: TestSchemas.mixed)
        let good = Self.change(seq: 2)
        let report = replica.apply([Self.change(field: "nosuch", seq: 1), good], context: ValidationContext(wallMillis: 1_000))
        #expect(report.refused.count == 1 && report.applied == [good.origin])
    }

    @Test("clock skew allows exactly the configured drift")
    func driftBoundary() throws {
        let context = ValidationContext(wallMillis: 1_000, maxDriftMillis: 500)
        _ = try TestSchemas.mixed.validate(Self.change(millis: 1_500), in: context)
        #expect(throws: SyncError.self) { try TestSchemas.mixed.validate(Self.change(millis: 1_501), in: context) }
    }

    @Test("numbers are canonicalised: ints to numbers, six decimals")
    func numbers() throws {
        let context = ValidationContext(wallMillis: 1_000)
        #expect(try TestSchemas.mixed.validate(Self.change(field: "score", value: 2), in: context).value == .number(2))
        let rounded = try TestSchemas.mixed.validate(Self.change(field: "score", value: .number(0.1234567)), in: context)
        #expect(CanonicalJSON.text(of: rounded.value) == "0.123457")
        #expect(CanonicalJSON.numberText(-0.5) == "-0.5")
        #expect(CanonicalJSON.numberText(1.5) == "1.5")
        #expect(CanonicalJSON.numberText(-12) == "-12")
    }

    @Test("a schema that breaks its own rules is refused when loaded")
    func badSchema() {
        #expect(throws: SyncError.self) {
            try Schema(name: "s", version: 1, types: ["t": RecordType(scopeField: nil, fields: ["f": FieldSpec(kind: .string, policy: .forward)])])
        }
        #expect(throws: SyncError.self) {
            try Schema(name: "s", version: 1, types: ["t": RecordType(scopeField: "nope", fields: [:])])
        }
    }
}
