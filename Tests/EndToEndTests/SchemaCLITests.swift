import Foundation
import Testing
import TributaryTestSupport

/// `tributary schema`, `tributary-hub schema show|check` and `put`'s warnings, through the real
/// executables.
@Suite("schema on the command line", .ownThreads)
struct SchemaCLITests {
    let directory = TemporaryDirectory("schema-cli")
    var db: String { directory.path("station.db") }
    static let example = CLIRunner.root.appendingPathComponent("Protocol/examples/county-work-2.json").path

    /// Runs `tributary --db <temp> args…` (the global form, which every subcommand takes).
    func tributary(_ args: String...) throws -> ToolResult {
        try CLIRunner.runTool(name: "tributary", args: ["--db", db] + args)
    }

    /// Runs `tributary-hub args… --db <temp hub>`, creating the hub first (`tributary-hub init`).
    func hub(_ args: String...) throws -> ToolResult {
        let path = directory.path("hub.db")
        if !FileManager.default.fileExists(atPath: path) {
            let created = try CLIRunner.runTool(name: "tributary-hub", args: ["init", "--db", path])
            #expect(created.succeeded, "\(created.stderr)")
        }
        return try CLIRunner.runTool(name: "tributary-hub", args: args + ["--db", path])
    }

    func station() throws {
        #expect(try tributary("init", "--org", "yc-t01", "--name", "桃城镇").succeeded)
        try OrgTreeSeed.install(OrgTreeSeed.township, into: db)
    }

    @Test("tributary schema lists every type; show TYPE gives its fields with kind, policy, flags, values and ranges")
    func stationSchema() throws {
        // Given: a station
        try station()
        // When: the clerk asks for the schema
        let all = try tributary("schema")
        // Then: every type is listed with its description
        #expect(all.succeeded, "\(all.stderr)")
        #expect(all.stdout.hasPrefix("county-work/1: 14 record types\n"))
        #expect(all.stdout.contains("\nteaHouseMeeting") == false)
        #expect(all.stdout.contains("\nvolunteerHours — A time-bank entry (时间银行)"))
        // And one type shows its fields, one per line
        let order = try tributary("schema", "show", "serviceOrder")
        #expect(order.succeeded)
        let lines = order.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("scope: orgUnitId"))
        #expect(lines.contains("rating int lww from 1 to 5"))
        #expect(lines.contains("requesterPhone string lww personal at most 32 characters"))
        #expect(lines.contains("state enum forward required ordered → dispatched → accepted → done → reviewed"))
        #expect(lines.contains("teamId ref lww id of volunteerTeam"))
    }

    @Test("tributary schema show TYPE --json is the schema document of that type")
    func stationSchemaJSON() throws {
        try station()
        let result = try tributary("schema", "show", "member", "--json")
        #expect(result.succeeded, "\(result.stderr)")
        let document = try #require(try result.json() as? [String: Any])
        #expect(document["name"] as? String == "county-work" && document["version"] as? Int == 1)
        let types = try #require(document["types"] as? [String: Any])
        #expect(Array(types.keys) == ["member"])
        let birthYear = (types["member"] as? [String: Any]).flatMap { $0["fields"] as? [String: Any] }?["birthYear"] as? [String: Any]
        #expect(birthYear?["min"] as? Int == 1900 && birthYear?["max"] as? Int == 2100)
        // An unknown type is refused with the list of types.
        let unknown = try tributary("schema", "show", "teaHouse")
        #expect(unknown.status == 1)
        #expect(unknown.firstErrorLine.hasPrefix("error: unknown_type: there is no record type \"teaHouse\" in schema county-work; the types are activity, "))
    }

    @Test("put writes an order done before it was ordered, warns on stderr and exits 0; an out-of-range rating is refused")
    func putWarningsAndRanges() throws {
        try station()
        // When: an order is written with doneOn before orderedOn
        let put = try tributary(
            "put", "serviceOrder", "so-1", "orgUnitId=yc-t01", "requester=陈大爷", "category=other", "state=done",
            "orderedOn=2025-04-03", "doneOn=2025-04-01")
        // Then: it is written (the id on stdout, exit 0) with one warning line
        #expect(put.status == 0, "\(put.stderr)")
        #expect(put.output == "so-1")
        #expect(put.errorLines == ["warning: serviceOrder so-1: doneOn 2025-04-01 is before orderedOn 2025-04-03"])
        #expect(try tributary("get", "serviceOrder", "so-1").stdout.contains("2025-04-01"))
        // And a write that does not touch the dates does not repeat the warning
        let rated = try tributary("put", "serviceOrder", "so-1", "rating=5")
        #expect(rated.status == 0 && rated.stderr.isEmpty, "\(rated.stderr)")
        // When: a rating outside 1–5 is written, it is refused with the range
        let nine = try tributary("put", "serviceOrder", "so-1", "rating=9")
        #expect(nine.status == 1)
        #expect(nine.errorLines == ["error: invalid_value: serviceOrder.rating is from 1 to 5; got 9"])
    }

    @Test("tributary-hub schema show prints the current schema, --version N --json its document")
    func hubSchemaShow() throws {
        let text = try hub("schema", "show")
        #expect(text.succeeded, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("county-work/1: 14 record types\n"))
        // The document is Protocol/schema/county-work.json.
        let json = try hub("schema", "show", "--version", "1", "--json")
        let shown = try #require(try json.json() as? NSDictionary)
        let file = try JSONSerialization.jsonObject(
            with: Data(contentsOf: CLIRunner.root.appendingPathComponent("Protocol/schema/county-work.json"))) as? NSDictionary
        #expect(shown == file)
        let member = try hub("schema", "show", "member")
        #expect(member.stdout.hasPrefix("county-work/1\n\nmember — "))
        #expect(member.stdout.contains("  idNumber   string  lww     personal  at most 18 characters"), "\(member.stdout)")
        let missing = try hub("schema", "show", "--version", "2")
        #expect(missing.status == 1)
        #expect(missing.errorLines == ["error: not_found: the hub has no version 2 of county-work; it knows version 1"])
    }

    @Test("tributary-hub schema check accepts the example extension, listing what it adds")
    func hubSchemaCheckAccepts() throws {
        let result = try hub("schema", "check", Self.example)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "county-work/1 → county-work/2: 4 differences")
        #expect(lines.contains { $0.hasPrefix("  additive") && $0.hasSuffix("new type teaHouseMeeting (11 fields)") })
        #expect(lines.contains { $0.hasPrefix("  additive") && $0.hasSuffix("new optional field member.onlineGroup (string)") })
        #expect(lines.contains { $0.hasPrefix("  additive") && $0.hasSuffix("meeting.kind gains values courtyardMeeting") })
        #expect(lines.contains { $0.hasPrefix("  cosmetic") && $0.hasSuffix("the description of meeting changed") })
        #expect(lines.last == "county-work/2 is a compatible successor of county-work/1")
        let json = try hub("schema", "check", Self.example, "--json").jsonObject()
        #expect(json["compatible"] as? Bool == true && json["candidate"] as? String == "county-work/2")
    }

    @Test("tributary-hub schema apply makes the example the hub's current schema; applying it again is refused")
    func hubSchemaApply() throws {
        let applied = try hub("schema", "apply", Self.example)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("applied county-work/2"))
        #expect(try hub("schema", "show").stdout.hasPrefix("county-work/2: 15 record types\n"))
        #expect(try hub("schema", "show", "--version", "1").stdout.hasPrefix("county-work/1: 14 record types\n"))
        let again = try hub("schema", "apply", Self.example)
        #expect(again.status == 1)
        #expect(again.firstErrorLine.hasPrefix("error: schema_incompatible: "))
    }

    @Test("tributary-hub schema check refuses a breaking file with exit 1, naming every breaking change")
    func hubSchemaCheckRefuses() throws {
        // Given: the example with member.phone removed, ratings narrowed to 1–3 and a misspelt key
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.example))) as? [String: Any])
        var types = document["types"] as! [String: Any]
        var member = types["member"] as! [String: Any]
        var memberFields = member["fields"] as! [String: Any]
        memberFields["phone"] = nil
        memberFields["name"] = ["kind": "string", "required": true, "maxLenght": 40]
        member["fields"] = memberFields
        types["member"] = member
        var order = types["serviceOrder"] as! [String: Any]
        var orderFields = order["fields"] as! [String: Any]
        orderFields["rating"] = ["kind": "int", "min": 1, "max": 3]
        order["fields"] = orderFields
        types["serviceOrder"] = order
        document["types"] = types
        let file = directory.path("breaking.json")
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: file))
        // When: it is checked
        let result = try hub("schema", "check", file)
        // Then: exit 1; the misspelt key is a warning; the error line names both breaking changes
        #expect(result.status == 1)
        #expect(result.errorLines.count == 2)
        #expect(result.errorLines.first == "warning: \(file): unknown key \"maxLenght\" at types.member.fields.name is ignored")
        let error = result.errorLines.last ?? ""
        #expect(error.hasPrefix("error: schema_incompatible: county-work/2 is not a compatible successor of county-work/1: "))
        #expect(error.contains("field member.phone was removed"))
        #expect(error.contains("serviceOrder.rating would take a narrower range (from 1 to 5 → from 1 to 3)"))
        // And stdout lists them as breaking beside the additive ones
        #expect(result.stdout.contains("  breaking  field member.phone was removed"))
        #expect(!result.stdout.contains("is a compatible successor"))
    }

    @Test("tributary-hub schema check of a file that is no schema is schema_invalid; a missing file not_found")
    func hubSchemaCheckBadFiles() throws {
        let file = directory.path("not-a-schema.json")
        try Data(#"{"name": "county-work", "version": 2}"#.utf8).write(to: URL(fileURLWithPath: file))
        let invalid = try hub("schema", "check", file)
        #expect(invalid.status == 1)
        #expect(invalid.errorLines == ["error: schema_invalid: \(file): types is missing"])
        let missing = try hub("schema", "check", directory.path("nothing.json"))
        #expect(missing.status == 1)
        #expect(missing.firstErrorLine.hasPrefix("error: not_found: cannot read"))
    }

    @Test("the schema commands have --help with an example", arguments: [["tributary", "schema", "show"], ["tributary-hub", "schema", "show"], ["tributary-hub", "schema", "check"]])
    func help(command: [String]) throws {
        let result = try CLIRunner.runTool(name: command[0], args: Array(command.dropFirst()) + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\(command.joined(separator: " ")) "), "\(result.stdout)")
    }
}
