import Foundation
import SyncModel
import Testing

/// `maxLength`, `min` and `max` in the schema format (SPEC §3): read, written, checked, and
/// enforced by validation with `invalid_value`.
@Suite("Schema limits and ranges")
struct SchemaLimitsTests {
    static let document = #"""
        {"name": "limits", "version": 1, "types": {
          "unit": {"fields": {"name": {"kind": "string"}}},
          "order": {"scopeField": "unit", "fields": {
            "unit": {"kind": "ref", "ref": "unit"},
            "rating": {"kind": "int", "min": 1, "max": 5},
            "year": {"kind": "int", "max": 2100},
            "hours": {"kind": "number", "min": -24, "max": 24.5},
            "code": {"kind": "string", "maxLength": 4},
            "note": {"kind": "text"}
          }}}}
        """#

    static func schema() throws -> Schema {
        try JSONDecoder().decode(Schema.self, from: Data(document.utf8))
    }

    static func change(_ field: String, _ value: FieldValue) -> Change {
        Change(
            site: SiteID(rawValue: 7), seq: 1, hlc: HLC(rawValue: 1 << 20), type: "order", id: "o-1", scope: "u1",
            field: field, value: value)
    }

    @Test("limits are read from the document and written back, whole bounds as integers")
    func roundTrip() throws {
        // Given: the document decoded
        let schema = try Self.schema()
        let order = try #require(schema.types["order"])
        #expect(order.fields["rating"]?.minimum == 1 && order.fields["rating"]?.maximum == 5)
        #expect(order.fields["year"]?.minimum == nil && order.fields["year"]?.maximum == 2100)
        #expect(order.fields["code"]?.maxLength == 4 && order.fields["note"]?.maxLength == nil)
        // When: it is encoded again
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(schema), as: UTF8.self)
        // Then: the bounds read as people wrote them, and decoding gives the same schema
        #expect(text.contains(#""rating":{"kind":"int","max":5,"min":1,"policy":"lww"}"#))
        #expect(text.contains(#""hours":{"kind":"number","max":24.5,"min":-24,"policy":"lww"}"#))
        #expect(try JSONDecoder().decode(Schema.self, from: Data(text.utf8)) == schema)
    }

    @Test(
        "inconsistent limits are schema_invalid",
        arguments: [
            (#"{"kind": "int", "maxLength": 4}"#, "maxLength is for string and text fields only"),
            (#"{"kind": "string", "maxLength": 0}"#, "maxLength is from 1 to 1024"),
            (#"{"kind": "string", "maxLength": 1025}"#, "maxLength is from 1 to 1024"),
            (#"{"kind": "text", "maxLength": 65537}"#, "maxLength is from 1 to 65536"),
            (#"{"kind": "date", "min": 1}"#, "min and max are for int and number fields only"),
            (#"{"kind": "int", "min": 1.5}"#, "min and max of an int field are whole numbers"),
            (#"{"kind": "number", "max": 1e12}"#, "min and max are numbers below 10^12 in magnitude"),
            (#"{"kind": "int", "min": 5, "max": 1}"#, "min (5) is above max (1)"),
        ])
    func inconsistentLimits(field: String, reason: String) {
        let document = #"{"name": "x", "version": 1, "types": {"t": {"scopeField": "u", "fields": {"u": {"kind": "ref"}, "f": \#(field)}}}}"#
        let error = #expect(throws: SyncError.self) { try JSONDecoder().decode(Schema.self, from: Data(document.utf8)) }
        #expect(error?.code == .schemaInvalid)
        #expect(error?.message.contains("t.f: \(reason)") == true, "\(error?.message ?? "")")
    }

    @Test(
        "values outside a range or longer than maxLength are invalid_value, with a sentence naming the limit",
        arguments: [
            ("rating", FieldValue.int(0), "order.rating is from 1 to 5; got 0"),
            ("rating", .int(6), "order.rating is from 1 to 5; got 6"),
            ("year", .int(2101), "order.year is at most 2100; got 2101"),
            ("hours", .number(24.51), "order.hours is from -24 to 24.5; got 24.51"),
            ("hours", .int(-25), "order.hours is from -24 to 24.5; got -25"),
            ("code", .string("林秀英子x"), "order.code is at most 4 characters; got 5"),
        ])
    func outOfRange(field: String, value: FieldValue, sentence: String) throws {
        let schema = try Self.schema()
        let error = #expect(throws: SyncError.self) { try schema.validate(Self.change(field, value), in: ValidationContext(wallMillis: 1 << 40)) }
        #expect(error?.code == .invalidValue)
        #expect(error?.message == sentence)
    }

    @Test(
        "bounds are included, numbers are rounded to six decimals first, and absent bounds mean the kind's limits",
        arguments: [
            ("rating", FieldValue.int(1), FieldValue.int(1)),
            ("rating", .int(5), .int(5)),
            ("year", .int(-9_000_000_000), .int(-9_000_000_000)),
            ("hours", .int(-24), .number(-24)),
            ("hours", .number(24.5000004), .number(24.5)),
            ("code", .string("林秀英子"), .string("林秀英子")),
            ("note", .string(String(repeating: "名", count: 65_536)), .string(String(repeating: "名", count: 65_536))),
        ])
    func inRange(field: String, value: FieldValue, canonical: FieldValue) throws {
        let schema = try Self.schema()
        let valid = try schema.validate(Self.change(field, value), in: ValidationContext(wallMillis: 1 << 40))
        #expect(valid.value == canonical)
    }
}
