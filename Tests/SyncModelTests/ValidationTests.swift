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
        ("int out of 64-bit range", change(field: "count", value: .number(.infinity)), .invalidValue),
        ("number not whole, to an int", change(field: "count", value: .number(1961.5)), .wrongKind),
        ("number rounding to 10^12", change(field: "score", value: .number(999_999_999_999.999_99)), .invalidValue),
        ("number not finite", change(field: "score", value: .number(.nan)), .invalidValue),
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

    @Test("a Double is taken at its exact binary value: rounding uses the product's error, not a rounded product")
    func exactBinaryRounding() throws {
        // Given doubles whose exact value lies just below (or exactly on) a half-millionth,
        // where the product by 10^6 rounds to exactly x.5 in binary
        let context = ValidationContext(wallMillis: 1_000)
        let justBelow = 0.0000005  // binary 4.99999999999999977e-7
        let tie = 0.0078125  // exactly 1/128: on the half
        // When they are written as canonical text and validated
        // Then the one below rounds down, the tie away from zero, and the held value is the
        // binary64 nearest to the rounded decimal
        #expect(CanonicalJSON.numberText(justBelow) == "0")
        #expect(CanonicalJSON.numberText(-justBelow) == "0")
        #expect(CanonicalJSON.numberText(tie) == "0.007813")
        #expect(CanonicalJSON.numberText(-tie) == "-0.007813")
        #expect(try TestSchemas.mixed.validate(Self.change(field: "score", value: .number(justBelow)), in: context).value == .number(0))
        #expect(try TestSchemas.mixed.validate(Self.change(field: "score", value: .number(tie)), in: context).value == .number(0.007813))
        #expect(CanonicalJSON.roundedNumber(999_999_999_999.123_456) == 999_999_999_999.123_413)
        #expect(CanonicalJSON.numberText(999_999_999_999.123_456) == "999999999999.123413")
        // And every held value validates again unchanged (the limit applies to it)
        for text in ["0.1", "2.0000005", "8589934591.999999", "999999999999.999878", "123456789.123456", "-0.000125"] {
            let held = try TestSchemas.mixed.validate(Self.change(field: "score", value: JSONNumber.fieldValue(text)!), in: context).value
            let again = try TestSchemas.mixed.validate(Self.change(field: "score", value: held), in: context).value
            #expect(again == held, "\(text)")
            #expect(CanonicalJSON.parseValue(CanonicalJSON.text(of: held)).flatMap { try? TestSchemas.mixed.validate(Self.change(field: "score", value: $0), in: context).value } == held, "\(text)")
        }
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
