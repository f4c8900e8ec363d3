import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// The generic reports of any record type (SPEC §12): counts per unit rolled up the org tree
/// and the export of its records, for types no code names — county-work/2's `teaHouseMeeting`
/// (Protocol/examples) and `elderVisit`, made up here as version 3 with a personal field.
@Suite struct TypeReportTests {
    let fixture: HubFixture
    let adminToken: String

    /// county-work/2 with one more type, `elderVisit` (a personal `phone`, a set of helpers).
    static func version3(after two: Schema) throws -> Schema {
        var types = two.types
        types["elderVisit"] = RecordType(
            scopeField: "orgUnitId",
            fields: [
                "orgUnitId": FieldSpec(kind: .ref, policy: .lww, ref: "orgUnit", required: true),
                "visitedOn": FieldSpec(kind: .date, policy: .lww, required: true),
                "elder": FieldSpec(kind: .string, policy: .lww),
                "phone": FieldSpec(kind: .string, policy: .lww, personal: true),
                "minutes": FieldSpec(kind: .int, policy: .lww),
                "helpers": FieldSpec(kind: .set, policy: .set),
            ])
        return try Schema(name: two.name, version: 3, types: types)
    }

    init() async throws {
        fixture = try await HubFixture()
        let two = try JSONDecoder().decode(
            Schema.self, from: Data(contentsOf: URL(fileURLWithPath: GoldenVectors.directory).deletingLastPathComponent().appendingPathComponent("examples/county-work-2.json")))
        _ = try await fixture.store.applySchema(two)
        _ = try await fixture.store.applySchema(try Self.version3(after: two))
        adminToken = try await fixture.store.addAdminToken(name: "admin").token
        // Tea-house talks: two in each community of yc-t01, one held by the township itself,
        // one in yc-t02-c01, and one deleted (never counted).
        var edits: [LocalEdit] = []
        func talk(_ id: String, _ unit: String, _ topic: String) {
            for (field, value) in [("orgUnitId", unit), ("topic", topic), ("date", "2025-04-0\(edits.count % 9 + 1)"), ("followUp", "recorded")] {
                edits.append(LocalEdit(key: FieldKey(type: "teaHouseMeeting", id: id, field: field), scope: unit, value: .string(value)))
            }
        }
        talk("th-1", "yc-t01-c01", "路灯")
        talk("th-2", "yc-t01-c01", "=HYPERLINK(\"x\")")
        talk("th-3", "yc-t01-c02", "停车")
        talk("th-4", "yc-t01-c02", "垃圾分类")
        talk("th-5", "yc-t01", "老旧小区改造")
        talk("th-6", "yc-t02-c01", "饮水")
        talk("th-7", "yc-t01-c01", "已撤销")
        edits.append(LocalEdit(key: FieldKey(type: "elderVisit", id: "ev-1", field: "orgUnitId"), scope: "yc-t01-c01", value: .string("yc-t01-c01")))
        for (field, value) in [("visitedOn", FieldValue.string("2025-05-01")), ("elder", .string("陈大爷")), ("phone", .string("13800000001")), ("minutes", .int(45))] {
            edits.append(LocalEdit(key: FieldKey(type: "elderVisit", id: "ev-1", field: field), scope: "yc-t01-c01", value: value))
        }
        for helper in ["m-2", "m-1"] {
            edits.append(LocalEdit(key: FieldKey(type: "elderVisit", id: "ev-1", field: "helpers", element: helper), scope: "yc-t01-c01", value: .bool(true)))
        }
        try await fixture.hubWrite(edits)
        try await fixture.hubWrite([LocalEdit(key: FieldKey(type: "teaHouseMeeting", id: "th-7", field: "_deleted"), scope: "yc-t01-c01", value: .bool(true))])
    }

    func headers(token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test func countsRollUpTheTreeWithHeldDirectly() async throws {
        // When the counts of teaHouseMeeting are read for the county and for township yc-t01
        let county = try await fixture.store.typeReport(.counts, query: ReportQuery(language: .en, type: "teaHouseMeeting"))
        let township = try await fixture.store.typeReport(.counts, query: ReportQuery(org: "yc-t01", language: .en, type: "teaHouseMeeting"))
        // Then the county has its total and a row per township; the deleted talk counts nowhere
        #expect(county.column("row") == [.text("Total"), .text("Sub-unit"), .text("Sub-unit")])
        #expect(county.column("unit") == [.text("yc"), .text("yc-t01"), .text("yc-t02")])
        #expect(county.column("records") == [.int(6), .int(5), .int(1)])
        // And the township has a row per community and one for the talk it held itself, adding up to its total
        #expect(township.column("row") == [.text("Total"), .text("Sub-unit"), .text("Sub-unit"), .text("Held directly")])
        #expect(township.column("records") == [.int(5), .int(2), .int(2), .int(1)])
        #expect(township.title == "Records per unit · teaHouseMeeting" && township.org == "yc-t01")
    }

    @Test func theExportHasARowPerRecordWithEveryFieldAndPersonalFieldsOnlyForOwners() async throws {
        // When admin and two stations' eyes read the elderVisit export
        let query = ReportQuery(org: "yc-t01", language: .zh, type: "elderVisit")
        let admin = try await fixture.store.typeReport(.records, query: query)
        let owner = try await fixture.store.typeReport(.records, query: query, personal: .owner(try await fixture.store.scope(of: "yc-t01")))
        let other = try await fixture.store.typeReport(.records, query: query, personal: .owner(try await fixture.store.scope(of: "yc-t02")))
        // Then the columns are the report's own, then every field but the scope field, by name
        #expect(admin.columns.map(\.key) == ["_id", "_unit", "_unitName", "elder", "helpers", "minutes", "phone", "visitedOn"])
        #expect(admin.columns.prefix(3).map(\.label) == ["记录编号", "组织编号", "所属组织"])
        // And each field shows its value: text, a whole number, the set's elements in order
        #expect(admin.rows == [[.text("ev-1"), .text("yc-t01-c01"), .text("留安社区"), .text("陈大爷"), .text("m-1, m-2"), .int(45), .text("13800000001"), .text("2025-05-01")]])
        // And the phone (personal) reaches the station that owns the record, not one that does not
        #expect(owner.column("phone") == [.text("13800000001")])
        #expect(other.column("phone") == [.null] && other.column("elder") == [.text("陈大爷")])
    }

    @Test func theHTTPReportsServeAnyTypeAndSayWhatIsMissing() async throws {
        try await fixture.application().test(.router) { client in
            // When an admin lists the reports
            let (_, list, _) = try await client.call(.get, "/v1/reports", headers: headers(token: adminToken))
            expectConforms(list, "ReportList")
            let listing = try #require(try JSONSerialization.jsonObject(with: list) as? [String: Any])
            // Then the generic reports take a type, and the types include the county's own
            let reports = try #require(listing["reports"] as? [[String: Any]])
            #expect(reports.contains { $0["name"] as? String == "records" && $0["takesType"] as? Bool == true })
            #expect((listing["types"] as? [String])?.contains("teaHouseMeeting") == true)
            // When the tea-house talks of yc-t01 are exported as CSV
            let (status, csv, csvHeaders) = try await client.call(
                .get, "/v1/reports/records?type=teaHouseMeeting&org=yc-t01&format=csv&lang=en", headers: headers(token: adminToken))
            // Then every live talk of the township is a row, a formula neutralised, with a named file
            let text = String(decoding: csv, as: UTF8.self)
            #expect(status == .ok && text.hasPrefix("Record id,Unit id,Unit name,"))
            #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1 + 5)
            #expect(text.contains("'=HYPERLINK") && !text.contains("th-7"))
            #expect(csvHeaders[.contentDisposition] == "attachment; filename=\"records-teaHouseMeeting-yc-t01.csv\"")
            // And the counts come as JSON of the documented shape
            let (countsStatus, counts, _) = try await client.call(.get, "/v1/reports/counts?type=teaHouseMeeting", headers: headers(token: adminToken))
            #expect(countsStatus == .ok)
            expectConforms(counts, "ReportTable")
            // And a missing or unknown type says which types there are
            let (missing, missingBody, _) = try await client.call(.get, "/v1/reports/counts", headers: headers(token: adminToken))
            #expect(missing == .badRequest && String(decoding: missingBody, as: UTF8.self).contains("teaHouseMeeting"))
            let (unknown, unknownBody, _) = try await client.call(.get, "/v1/reports/records?type=nope", headers: headers(token: adminToken))
            #expect(unknown == .notFound && String(decoding: unknownBody, as: UTF8.self).contains("county-work\\/3"))
            expectConforms(unknownBody, "ErrorBody")
        }
    }

    @Test func aStationTokenReadsItsOwnSubtreeWithItsPersonalFields() async throws {
        try await fixture.application().test(.router) { client in
            // When station t1 (yc-t01) exports elder visits (its own unit by default)
            let (status, body, _) = try await client.call(.get, "/v1/reports/records?type=elderVisit", headers: headers(token: fixture.tokens["t1"]!))
            // Then it gets its visit, phone included (it owns it)
            let table = try JSONDecoder().decode(ReportTable.self, from: body)
            #expect(status == .ok && table.org == "yc-t01" && table.column("phone") == [.text("13800000001")])
            // And another township is forbidden
            let (forbidden, _, _) = try await client.call(.get, "/v1/reports/counts?type=elderVisit&org=yc-t01", headers: headers(token: fixture.tokens["t2"]!))
            #expect(forbidden == .forbidden)
        }
    }
}
