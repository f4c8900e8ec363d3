import Foundation
import Testing
import TributaryTestSupport

/// The `tributary` executable, run as a subprocess on a replica in a temp directory.
@Suite("tributary command line", .ownThreads)
struct StationCLITests {
    let directory = TemporaryDirectory("cli")
    var db: String { directory.path("station.db") }

    /// Runs `tributary --db <temp> args…`.
    func tributary(_ args: String..., env: [String: String] = [:], stdin: String? = nil) throws -> ToolResult {
        try CLIRunner.runTool(name: "tributary", args: Array(args.prefix(1)) + ["--db", db] + args.dropFirst(), env: env, stdin: stdin)
    }

    /// Runs a command that must succeed.
    @discardableResult
    func ok(_ args: String...) throws -> ToolResult {
        let result = try CLIRunner.runTool(name: "tributary", args: Array(args.prefix(1)) + ["--db", db] + args.dropFirst())
        #expect(result.status == 0, "tributary \(args.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// A station of township yc-t01 holding, as its hub sent them, the county, its own org
    /// unit and one community.
    func initStation() throws {
        try ok("init", "--org", "yc-t01", "--name", "桃城镇")
        try OrgTreeSeed.install(OrgTreeSeed.township, into: db)
    }

    @Test("init → put → get/list → delete → status/log/dump/digest, with --json parsed")
    func session() throws {
        // Given a new station
        let created = try ok("init", "--org", "yc-t01", "--name", "桃城镇", "--json").jsonObject()
        #expect(created["org"] as? String == "yc-t01")
        #expect((created["site"] as? String)?.count == 16)
        try OrgTreeSeed.install(Array(OrgTreeSeed.township.prefix(2)), into: db)

        // When a member is created, read, updated, listed, explained and deleted
        let id = try ok(
            "put", "member", "name=林秀英", "orgUnitId=yc-t01", "category=retired", "birthYear=1958", "phone=13800000000"
        ).output
        #expect(UUID(uuidString: id) != nil)
        let got = try ok("get", "member", id, "--json").jsonObject()
        let fields = try #require(got["fields"] as? [String: Any])
        #expect(fields["name"] as? String == "林秀英")
        #expect(fields["birthYear"] as? Int == 1958)
        #expect(got["deleted"] as? Bool == false)
        #expect(try ok("get", "member", id).stdout.contains("林秀英"))
        #expect(try ok("put", "member", id, "birthYear=1959").output == id)
        #expect(try ok("list", "member", "--where", "category=retired", "--json").json() as? [Any] != nil)
        #expect((try ok("list", "member", "--where", "category=retired", "--json").json() as? [Any])?.count == 1)
        #expect((try ok("list", "member", "--where", "category=direct", "--json").json() as? [Any])?.count == 0)
        let explained = try ok("explain", "member", id, "birthYear", "--json").jsonObject()
        let birthYear = try #require((explained["fields"] as? [[String: Any]])?.first)
        #expect((birthYear["rule"] as? String)?.hasPrefix("lww: ") == true)
        #expect((birthYear["writes"] as? [Any])?.count == 2)
        let digestBefore = try ok("digest").output
        #expect(try ok("delete", "member", id).output == "deleted member \(id)")
        #expect(try ok("get", "member", id, "--json").jsonObject()["deleted"] as? Bool == true)
        #expect((try ok("list", "member", "--json").json() as? [Any])?.count == 0)

        // Then status, log, dump and digest tell the story
        let status = try ok("status", "--json").jsonObject()
        #expect(status["org"] as? String == "yc-t01")
        #expect(status["name"] as? String == "桃城镇")
        #expect(status["outbox"] as? Int == 5 + 1 + 1)
        #expect(status["logCount"] as? Int == 7)
        #expect(status["conflicts"] as? Int == 0)
        #expect((status["records"] as? [String: Int]) == ["orgUnit": 2])
        #expect(try ok("status").stdout.contains("7 change(s) waiting"))
        let logPage = try ok("log", "--json").jsonObject()
        let log = try #require(logPage["entries"] as? [[String: Any]])
        #expect(logPage["more"] as? Bool == false)
        #expect(log.count == 7)
        #expect(log.first?["field"] as? String == "_deleted")
        #expect(log.allSatisfy { $0["state"] as? String == "waiting" })
        #expect(log.contains { $0["field"] as? String == "phone" && $0["value"] as? String == "<personal>" })
        #expect(!(try ok("log").stdout.contains("13800000000")))
        let dump = try ok("dump")
        #expect(try dump.json() is [String: Any] || dump.json() is [Any])
        let digest = try ok("digest").output
        #expect(digest.count == 64 && digest != digestBefore)
        #expect(try ok("digest", "--json").jsonObject()["digest"] as? String == digest)
        #expect(try ok("restore", "member", id).output == "restored member \(id)")
    }

    @Test("set fields take +/- elements and --json objects")
    func setsAndJSON() throws {
        try initStation()
        let id = try ok(
            "put", "activity", "act-1", "orgUnitId=yc-t01-c01", "kind=themedDay", "date=2025-03-22", "title=主题党日",
            "attendees=+m-1,+m-2"
        ).output
        try ok("put", "activity", id, "attendees=-m-1,+m-3")
        var sets = try ok("get", "activity", id, "--json").jsonObject()["sets"] as? [String: [String]]
        #expect(sets?["attendees"] == ["m-2", "m-3"])
        try ok("put", "activity", id, "--json", #"{"attendees": ["m-9"], "place": "党群服务中心"}"#)
        let got = try ok("get", "activity", id, "--json").jsonObject()
        sets = got["sets"] as? [String: [String]]
        #expect(sets?["attendees"] == ["m-9"])
        #expect((got["fields"] as? [String: Any])?["place"] as? String == "党群服务中心")
    }

    @Test(
        "bad input exits 1 with one line `error: <code>: <sentence>`",
        arguments: [
            (["put", "memberz", "name=x"], "unknown_type"),
            (["put", "member", "nickname=x"], "unknown_field"),
            (["put", "member", "name=x", "orgUnitId=yc-t01", "category=retired", "birthYear=old"], "invalid_value"),
            (["put", "member", "name=x", "orgUnitId=yc-t01", "category=retired", "joinedOn=2025-13-01"], "invalid_value"),
            (["put", "member", "name=x", "orgUnitId=yc-t01", "category=asleep"], "invalid_value"),
            (["put", "member", "name=x", "orgUnitId=yc-t02", "category=retired"], "out_of_scope"),
            (["put", "member", "name=x", "orgUnitId=yc-t01"], "missing_field"),
            (["get", "member", "nobody"], "not_found"),
            (["resolve", "orgUnit", "yc-t01", "name", "--value", "x"], "no_conflict"),
            (["init", "--org", "yc-t01"], "store_invalid"),
        ])
    func errors(args: [String], code: String) throws {
        // Given a station
        try initStation()

        // When a bad command runs
        let result = try CLIRunner.runTool(name: "tributary", args: [args[0], "--db", db] + args.dropFirst())

        // Then it exits 1 with exactly one error line naming the code, and nothing on stdout
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errorLines.first?.hasPrefix("error: \(code): ") == true, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a missing replica is not_found and says to run init; $TRIBUTARY_DB names the file")
    func missingDatabase() throws {
        let missing = try CLIRunner.runTool(name: "tributary", args: ["status", "--db", directory.path("nothing.db")])
        #expect(missing.status == 1)
        #expect(missing.errorLines == ["error: not_found: no station replica at \(directory.path("nothing.db")); run `tributary init --org ORG_ID` first"])

        try initStation()
        let viaEnv = try CLIRunner.runTool(name: "tributary", args: ["status", "--json"], env: ["TRIBUTARY_DB": db])
        #expect(viaEnv.status == 0)
        #expect(try viaEnv.jsonObject()["path"] as? String == db)
    }

    @Test("a usage error exits 2")
    func usage() throws {
        let result = try CLIRunner.runTool(name: "tributary", args: ["put"])
        #expect(result.status == 2)
        let resolve = try CLIRunner.runTool(name: "tributary", args: ["resolve", "a", "b", "c", "--db", db])
        #expect(resolve.status == 2)
    }

    @Test(
        "every command has --help with an example",
        arguments: [
            "init", "put", "get", "list", "delete", "restore", "status", "conflicts", "resolve", "explain", "log", "dump",
            "digest", "import",
        ])
    func help(command: String) throws {
        let result = try CLIRunner.runTool(name: "tributary", args: [command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("tributary \(command) "), "\(result.stdout)")
    }

    /// JSON Lines of `count` members of yc-t01-c01, three fields each.
    static func members(_ range: ClosedRange<Int>) -> String {
        range.map { #"{"type": "member", "id": "m-\#($0)", "fields": {"name": "成员\#($0)", "orgUnitId": "yc-t01-c01", "category": "retired"}}"# + "\n" }
            .joined()
    }

    @Test("kill -9 in the middle of an import leaves none of it; a locked replica is `busy`; a whole import is all there")
    func killDuringImport() throws {
        // Given a station, and an import reading from stdin that has written 2,000 records in its open transaction
        try initStation()
        let before = try ok("status", "--json").jsonObject()
        let importer = try CLIRunner.startTool(
            name: "tributary", args: ["import", "-", "--db", db, "--progress", "--progress-every", "500"])
        try importer.write(Self.members(1...2_000))
        #expect(importer.waitForError(containing: "imported 2000 records"))

        // When another process writes meanwhile, and the importer is killed with SIGKILL
        let locked = try tributary("put", "member", "name=x", "orgUnitId=yc-t01", "category=retired", env: ["TRIBUTARY_BUSY_TIMEOUT": "0.2"])
        importer.kill9()
        let ended = importer.wait()

        // Then the writer was told the replica is busy, and the replica opens with none of the import
        #expect(ended.killedBySignal)
        #expect(locked.status == 1)
        #expect(locked.errorLines.first?.hasPrefix("error: busy: ") == true, "\(locked.stderr)")
        let after = try ok("status", "--json").jsonObject()
        #expect(after["logCount"] as? Int == before["logCount"] as? Int)
        #expect((after["records"] as? [String: Int])?["member"] == nil)
        #expect(try ok("digest").output.count == 64)

        // And a whole import from a file writes every record, one log entry per field
        let file = directory.path("members.jsonl")
        try Self.members(1...2_000).write(toFile: file, atomically: true, encoding: .utf8)
        let report = try ok("import", file, "--json").jsonObject()
        #expect(report["records"] as? Int == 2_000)
        let full = try ok("status", "--json").jsonObject()
        #expect((full["records"] as? [String: Int])?["member"] == 2_000)
        #expect(full["logCount"] as? Int == (before["logCount"] as? Int ?? 0) + 6_000)
        #expect(full["outbox"] as? Int == (before["outbox"] as? Int ?? 0) + 6_000)
    }
}
