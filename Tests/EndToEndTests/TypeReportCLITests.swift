import Foundation
import Testing
import TributaryTestSupport

/// `tributary-hub report counts|records --type T` through the real executable, for a type the
/// binary has never heard of: county-work/2's `teaHouseMeeting`, known only after `schema apply`.
@Suite("generic reports on the command line", .ownThreads)
struct TypeReportCLITests {
    let directory = TemporaryDirectory("type-report-cli")
    static let example = CLIRunner.root.appendingPathComponent("Protocol/examples/county-work-2.json").path
    static let county = CLIRunner.root.appendingPathComponent("Protocol/examples/sample-county.csv").path

    func hub(_ args: String...) throws -> ToolResult {
        try CLIRunner.runTool(name: "tributary-hub", args: args + ["--db", directory.path("hub.db")])
    }

    @Test("a type added by schema apply has its counts and its export; before, it is not_found naming the types")
    func teaHouseMeetingAfterApply() throws {
        // Given a hub with the sample county on county-work/1
        let imported = try hub("org", "import", Self.county)
        #expect(imported.succeeded, "\(imported.stderr)")
        // When the tea-house type is asked for before the county's version 2 is applied
        let before = try hub("report", "records", "--type", "teaHouseMeeting")
        // Then it is refused naming the type and the types there are
        #expect(before.status == 1)
        #expect(before.firstErrorLine.hasPrefix("error: not_found: there is no record type \"teaHouseMeeting\""))
        #expect(before.firstErrorLine.contains("member"))
        // When version 2 is applied and both reports are read
        #expect(try hub("schema", "apply", Self.example).succeeded)
        let counts = try hub("report", "counts", "--type", "teaHouseMeeting", "--org", "yc-t01", "--lang", "en", "--format", "json").jsonObject()
        let export = try hub("report", "records", "--type", "teaHouseMeeting", "--format", "csv")
        // Then counts has the township's total and a row per community, all zero
        let rows = try #require(counts["rows"] as? [[String: Any]])
        #expect(rows.count > 1)
        #expect(rows.first?["unit"] as? String == "yc-t01" && rows.first?["row"] as? String == "Total")
        #expect(rows.dropFirst().allSatisfy { ($0["unit"] as? String)?.hasPrefix("yc-t01-") == true && $0["row"] as? String == "Sub-unit" })
        #expect(rows.allSatisfy { $0["records"] as? Int == 0 })
        // And the export's header is the report's columns and every field but the scope field
        #expect(export.succeeded, "\(export.stderr)")
        let header = export.stdout.split(separator: "\r\n").first.map(String.init)
        #expect(header?.hasPrefix("记录编号,组织编号,所属组织,") == true, "\(header ?? "")")
        #expect(header?.contains("topic") == true && header?.contains("residentCount") == true)
        #expect(header?.contains("orgUnitId") == false)
        // And without a type the reports say how to give one
        let missing = try hub("report", "counts")
        #expect(missing.status == 1 && missing.firstErrorLine.hasPrefix("error: bad_request: the counts report takes a record type"))
    }
}
