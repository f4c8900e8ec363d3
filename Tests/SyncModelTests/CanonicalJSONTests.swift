import Foundation
import SyncModel
import Testing

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test("strings escape only quotes, backslashes and control characters")
    func strings() {
        #expect(CanonicalJSON.text(of: "王\"芳\\\n\u{1}") == #""王\"芳\\\u000a\u0001""#)
    }

    @Test("scalar values parse back exactly", arguments: [
        FieldValue.null, .bool(true), .bool(false), .int(-42), .number(1.5), .string("巡查 \"A\"\t\u{0}"),
    ])
    func roundTrip(value: FieldValue) {
        #expect(CanonicalJSON.parseValue(CanonicalJSON.text(of: value)) == value)
    }

    @Test("a change's wire JSON round-trips and omits empty bases")
    func changeJSON() throws {
        let change = Change(
            site: SiteID(rawValue: 0xabc), seq: 3, hlc: HLC(millis: 1_767_225_600_000, counter: 1), type: "activity",
            id: "a-1", scope: "yc-t01", field: "attendees", element: "m-7", value: true)
        let data = try JSONEncoder().encode(change)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("bases"))
        #expect(text.contains(#""elem":"m-7""#))
        #expect(try JSONDecoder().decode(Change.self, from: data) == change)
    }

    @Test("dumps of the same records are byte-identical whatever the insertion order")
    func dumpOrder() {
        let site = SiteID(rawValue: 1)
        let a = Change(site: site, seq: 1, hlc: HLC(millis: 5, counter: 0), type: "unit", id: "b", scope: "b", field: "name", value: "乙")
        let b = Change(site: site, seq: 2, hlc: HLC(millis: 6, counter: 0), type: "unit", id: "a", scope: "a", field: "name", value: "甲")
        let schema = TributarySchemas.unitOnly
        var one = MemoryReplica(schema: schema), two = MemoryReplica(schema: schema)
        one.apply([a, b], context: ValidationContext(wallMillis: 1 << 40))
        two.apply([b, a], context: ValidationContext(wallMillis: 1 << 40))
        #expect(one.canonicalDump() == two.canonicalDump())
        let text = String(decoding: one.canonicalDump(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"records":[{"fields":{"name":{"value":"甲","#))
        #expect(text.hasSuffix(#"],"conflicts":[]}"#))
    }
}

enum TributarySchemas {
    static let unitOnly = try! Schema(
        name: "units", version: 1, types: ["unit": RecordType(scopeField: nil, fields: ["name": FieldSpec(kind: .string)])])
}
