import Foundation
import SyncModel
import Testing
import TributaryTestSupport

/// Text people actually have, and text stations write to attack whoever reads it, through the
/// real executables: JSON Lines and org tree files from Windows and spreadsheets, names with
/// terminal escapes and bidirectional overrides.
@Suite("Files and text end to end (processes)", .ownThreads)
struct TextEndToEndTests {
    let directory = TemporaryDirectory("e2e-text")

    /// A station of yc-t01 with its org unit.
    func station() throws -> StationProcess {
        let station = StationProcess(database: directory.path("station.db"), name: "s")
        try station.ok("init", "--org", "yc-t01")
        try OrgTreeSeed.install(OrgTreeSeed.township, into: station.database)
        return station
    }

    static func member(_ index: Int, name: String? = nil) -> String {
        #"{"type":"member","id":"m-\#(index)","fields":{"name":"\#(name ?? "林秀英\(index)")","orgUnitId":"yc-t01","category":"retired"}}"#
    }

    @Test("JSON Lines with CRLF line ends import whole; errors name the line; bad UTF-8 and duplicate keys are refused")
    func jsonLines() throws {
        let station = try station()
        // Given a file saved on Windows (CRLF), with a blank line / When imported / Then every record is in
        let crlf = directory.path("members.jsonl")
        try Data(([Self.member(1), Self.member(2), "", Self.member(3)].joined(separator: "\r\n") + "\r\n").utf8).write(to: URL(fileURLWithPath: crlf))
        let imported = try station.run(["import", crlf, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try imported.jsonObject()["records"] as? Int == 3)

        // Given files with a problem on their 4th line (after a blank 2nd) / Then the error names line 4, nothing is written
        let cases: [(String, [UInt8], String)] = [
            ("malformed", Array(#"{"type":"member","id":"m-9""#.utf8), "line 4: an import line is"),
            ("refused", Array(#"{"type":"member","id":"m-9","fields":{"name":"王","orgUnitId":"yc-t02","category":"retired"}}"#.utf8), "line 4 (member): "),
            ("duplicate key", Array(#"{"type":"member","id":"m-9","fields":{"name":"王建国","name":"王","orgUnitId":"yc-t01","category":"retired"}}"#.utf8), "line 4: the key \"name\" appears twice"),
            ("not UTF-8", Array(#"{"type":"member","id":"m-9","fields":{"name":""#.utf8) + [0xCD, 0xF5] + Array(#"","orgUnitId":"yc-t01","category":"retired"}}"#.utf8), "line 4 is not UTF-8 text"),
        ]
        for (what, line, expected) in cases {
            let file = directory.path("\(what).jsonl")
            let bytes = Array((Self.member(10) + "\r\n\r\n" + Self.member(11) + "\r\n").utf8) + line + Array("\r\n".utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let result = try station.run(["import", file])
            #expect(result.status == 1 && result.errorLines.count == 1 && result.firstErrorLine.contains(expected), "\(what): \(result.stderr)")
        }
        #expect((try station.run(["list", "member", "--json"]).json() as? [Any])?.count == 3)
    }

    @Test("names with terminal escapes and bidi overrides are shown escaped by get, list, log, status and report; --json keeps them")
    func terminalEscapes() throws {
        // Given a member whose name clears the screen and retitles the window, and one with a right-to-left override
        let station = try station()
        let clear = "\u{1B}[2J\u{1B}]0;pwned\u{07}林秀英"
        let bidi = "王建国\u{202E}gpj.exe"
        try station.ok("put", "member", "m-1", "name=\(clear)", "orgUnitId=yc-t01", "category=retired")
        try station.ok("put", "member", "m-2", "name=\(bidi)", "orgUnitId=yc-t01", "category=retired")

        // When text output shows them / Then only escaped
        for args in [["get", "member", "m-1"], ["get", "member", "m-2"], ["list", "member"], ["log"], ["explain", "member", "m-1"], ["status"]] {
            let result = try station.run(args)
            #expect(result.status == 0, "\(args): \(result.stderr)")
            #expect(!result.stdout.unicodeScalars.contains { TerminalText.needsEscape($0, keepingNewlines: true) }, "\(args): \(result.stdout.debugDescription)")
        }
        #expect(try station.ok("get", "member", "m-1").contains(#"\u{1B}[2J\u{1B}]0;pwned\u{7}林秀英"#))
        #expect(try station.ok("get", "member", "m-2").contains(#"王建国\u{202E}gpj.exe"#))
        let listed = try station.ok("list", "member")
        #expect(listed.contains(#"\u{1B}[2J"#) && listed.contains(#"王建国\u{202E}"#), "\(listed)")
        // And an error quoting a hostile id is escaped too
        let missing = try station.run(["get", "member", "m-\u{1B}[2J"])
        #expect(missing.status == 1 && !missing.stderr.unicodeScalars.contains { TerminalText.needsEscape($0, keepingNewlines: true) }, "\(missing.stderr.debugDescription)")

        // And --json keeps the names as data
        let json = try station.run(["list", "member", "--json"])
        let names = (try json.json() as? [[String: Any]])?.compactMap { ($0["fields"] as? [String: Any])?["name"] as? String }
        #expect(Set(names ?? []) == [clear, bidi])
        #expect(!json.stdout.unicodeScalars.contains { TerminalText.needsEscape($0, keepingNewlines: true) })

        // And the hub's report table and station list escape what reaches the hub
        let hubPath = directory.path("hub.db")
        let tree = directory.path("tree.csv")
        try Data("id,name,kind,parentId\r\nyc,\"永春县\u{1B}]0;x\u{07}\",county,\r\n".utf8).write(to: URL(fileURLWithPath: tree))
        #expect(try CLIRunner.runTool(name: "tributary-hub", args: ["org", "import", "--db", hubPath, tree]).status == 0)
        #expect(try CLIRunner.runTool(name: "tributary-hub", args: ["station", "add", "--db", hubPath, "--org", "yc", "--name", bidi]).status == 0)
        for args in [["report", "members"], ["org", "list"], ["station", "list"]] {
            let result = try CLIRunner.runTool(name: "tributary-hub", args: args + ["--db", hubPath])
            #expect(result.status == 0, "\(args): \(result.stderr)")
            #expect(!result.stdout.unicodeScalars.contains { TerminalText.needsEscape($0, keepingNewlines: true) }, "\(args): \(result.stdout.debugDescription)")
            #expect(result.stdout.contains(#"\u{1B}]0;x\u{7}"#) || result.stdout.contains(#"\u{202E}"#), "\(args): \(result.stdout)")
        }
        // And rotating that station's token names it escaped
        let stations = try CLIRunner.runTool(name: "tributary-hub", args: ["station", "list", "--json", "--db", hubPath]).json() as? [[String: Any]]
        let stationID = try #require(stations?.first?["id"] as? String)
        let rotated = try CLIRunner.runTool(name: "tributary-hub", args: ["station", "rotate", stationID, "--db", hubPath])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(!rotated.stdout.unicodeScalars.contains { TerminalText.needsEscape($0, keepingNewlines: true) }, "\(rotated.stdout.debugDescription)")
        #expect(rotated.stdout.contains(#"王建国\u{202E}gpj.exe"#), "\(rotated.stdout)")
    }

    @Test("org import: a Windows CSV imports every unit; a header-only file fails; a GBK file is refused or read with --encoding gbk")
    func orgImport() throws {
        let hubPath = directory.path("hub.db")
        func orgImport(_ bytes: [UInt8], _ extra: String...) throws -> ToolResult {
            let file = directory.path("tree-\(UUID().uuidString.prefix(6)).csv")
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            return try CLIRunner.runTool(name: "tributary-hub", args: ["org", "import", "--db", hubPath, file] + extra)
        }
        // Given a CSV from Excel on Windows: BOM, CRLF, quoted names, the orgForm column / Then all three units are imported
        let windows = "\u{FEFF}id,name,kind,parentId,orgForm\r\nyc,\"永春县\",county,,\r\nyc-t01,\"桃城镇, 城关\",township,yc,\r\nyc-t01-c01,留安社区,community,yc-t01,branch\r\n"
        let result = try orgImport(Array(windows.utf8))
        #expect(result.status == 0 && result.output.hasPrefix("imported 3 units: 3 added"), "\(result.stdout) \(result.stderr)")
        let units = try CLIRunner.runTool(name: "tributary-hub", args: ["org", "list", "--json", "--db", hubPath]).json() as? [[String: Any]]
        #expect(units?.compactMap { $0["name"] as? String }.contains("桃城镇, 城关") == true)

        // Given only a header / Then it fails, saying nothing was imported
        let header = try orgImport(Array("id,name,kind,parentId,orgForm\r\n".utf8))
        #expect(header.status == 1 && header.firstErrorLine.contains("nothing was imported"), "\(header.stderr)")
        #expect(try orgImport(Array("id,name,kind,parentId\r\n".utf8), "--allow-empty").status == 0)

        // Given a GBK file / Then it is refused with how to save it as UTF-8, and imported with --encoding gbk
        let gbk = Array("id,name,kind,parentId\r\nyc-t02,".utf8) + [0xCC, 0xD2, 0xB3, 0xC7, 0xD5, 0xF2] + Array(",township,yc\r\n".utf8)
        let refused = try orgImport(gbk)
        #expect(refused.status == 1 && refused.firstErrorLine.contains("is not UTF-8 text (line 2") && refused.firstErrorLine.contains("--encoding gbk"), "\(refused.stderr)")
        let read = try orgImport(gbk, "--encoding", "gbk")
        #expect(read.status == 0, "\(read.stderr)")
        let names = try CLIRunner.runTool(name: "tributary-hub", args: ["org", "list", "--json", "--db", hubPath]).json() as? [[String: Any]]
        #expect(names?.contains { $0["id"] as? String == "yc-t02" && $0["name"] as? String == "桃城镇" } == true)
    }
}
