import Foundation
import Testing
import TributaryTestSupport

/// The command-line rough edges of issue 16, through the real executables: the hub's change
/// feed, whole `log --json` entries, negative `resolve` values, `digest --hub` naming what
/// differs, `sync` exit statuses, `init --hub` bootstrapping.
@Suite("CLI rough edges (processes)", .serialized, .ownThreads)
struct CLIRoughEdgesTests {
    /// A hub with the sample county and stations, each initialised (and so bootstrapped).
    struct County {
        let dir = TemporaryDirectory("edges")
        let hub: HubProcess
        var tokens: [String: String] = [:]
        var stations: [String: StationProcess] = [:]

        init(stations plan: [(name: String, org: String)]) throws {
            hub = try HubProcess(database: dir.path("hub.db"))
            for (name, org) in plan { tokens[name] = try hub.addStation(org: org, name: name) }
            try hub.start()
            for (name, _) in plan {
                let station = StationProcess(database: dir.path("\(name).db"), name: name)
                try station.ok("init", "--hub", hub.url, "--token", tokens[name]!)
                stations[name] = station
            }
        }

        subscript(name: String) -> StationProcess { stations[name]! }

        /// Runs `tributary-hub ARGS… --db <hub>`.
        func hubTool(_ args: String...) throws -> ToolResult {
            try CLIRunner.runTool(name: "tributary-hub", args: args + ["--db", hub.database])
        }
    }

    @Test("init --hub --token bootstraps, so writes under the station's unit work at once; --offline says a sync must come first")
    func initBootstraps() throws {
        let county = try County(stations: [("t1", "yc-t01")])
        defer { county.hub.stop() }
        // Given a station initialised from the hub (no explicit sync)
        let t1 = county["t1"]
        // When it writes to a community under its township
        // Then the write is accepted: init fetched the org tree
        try t1.ok("put", "member", "m-1", "name=林秀英", "orgUnitId=yc-t01-c01", "category=retired")

        // Given a second token used with --offline
        let token = try county.hub.addStation(org: "yc-t01", name: "t1b")
        let offline = StationProcess(database: county.dir.path("offline.db"), name: "offline")
        let created = try offline.run(["init", "--org", "yc-t01", "--hub", county.hub.url, "--token", token, "--offline", "--json"])
        // Then it is created, not bootstrapped, and says plainly that a sync must come first
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try created.jsonObject()["bootstrapped"] as? Bool == false)
        #expect(created.stderr.contains("note: --offline") && created.stderr.contains("run `tributary sync` before writing to the units under it"))
        // And until then, its own unit takes writes and the units under it do not
        try offline.ok("put", "member", "m-2", "name=王芳", "orgUnitId=yc-t01", "category=retired")
        let refused = try offline.run(["put", "member", "m-3", "name=李明", "orgUnitId=yc-t01-c01", "category=retired"])
        #expect(refused.status == 1 && refused.firstErrorLine.hasPrefix("error: out_of_scope: "), "\(refused.stderr)")
        try offline.ok("sync")
        try offline.ok("put", "member", "m-3", "name=李明", "orgUnitId=yc-t01-c01", "category=retired")

        // And with the hub unreachable, init with --org still creates the replica and says so
        let away = StationProcess(database: county.dir.path("away.db"), name: "away")
        let unreachable = try away.run(["init", "--org", "yc-t01", "--hub", "http://127.0.0.1:9", "--token", token])
        #expect(unreachable.status == 0, "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("note: the first sync did not run (hub_unreachable: "), "\(unreachable.stderr)")
    }

    @Test("sync exits 6 when the round is done but changes were refused, and 0 once nothing is refused")
    func syncExitStatuses() throws {
        let county = try County(stations: [("t1", "yc-t01"), ("c01", "yc-t01-c01")])
        defer { county.hub.stop() }
        let (t1, c01) = (county["t1"], county["c01"])
        // Given a member of community c01 that both stations hold
        try t1.ok("put", "member", "m-1", "name=林秀英", "orgUnitId=yc-t01-c01", "category=retired")
        try t1.ok("sync")
        try c01.ok("sync")
        // When the township moves it to another community while c01 edits it offline
        try t1.ok("put", "member", "m-1", "orgUnitId=yc-t01-c02")
        try t1.ok("sync")
        try c01.ok("put", "member", "m-1", "name=林秀瑛")
        let round = try c01.run(["sync", "--json"])
        // Then c01's round is done (exit 6, not a failure status), the refusal is reported
        #expect(round.status == 6, "\(round.stderr)")
        let refused = try #require(try round.jsonObject()["refused"] as? [[String: Any]])
        #expect(refused.first?["code"] as? String == "out_of_scope")
        // And a round with nothing refused exits 0
        #expect(try c01.run(["sync"]).status == 0)
        // And the help documents every status
        let help = try CLIRunner.runTool(name: "tributary", args: ["sync", "--help"]).stdout
        for status in ["0  done", "6  done, but", "1  failed", "3  failed", "4  failed", "5  failed"] {
            #expect(help.contains(status), "\(status)")
        }
    }

    @Test("resolve takes negative numbers: --value -1 and --value=-1")
    func negativeValues() throws {
        let county = try County(stations: [("a", "yc-t01"), ("b", "yc-t01")])
        defer { county.hub.stop() }
        let (a, b) = (county["a"], county["b"])
        // Given two members whose name both stations changed concurrently: conflicts. (Every
        // number field of county-work has a range without negatives now — birthYear is
        // 1900–2100 — so the negative-looking values are written to a text field: what is
        // tested is that `-1` is taken as the value, not as an option.)
        for id in ["m-1", "m-2"] { try a.ok("put", "member", id, "name=成员", "orgUnitId=yc-t01", "category=retired", "birthYear=1958") }
        try a.ok("sync")
        try b.ok("sync")
        for id in ["m-1", "m-2"] {
            try a.ok("put", "member", id, "name=成员甲")
            try b.ok("put", "member", id, "name=成员乙")
        }
        for station in [a, b, a] { try station.ok("sync") }
        #expect(try a.conflicts().count == 2)
        // When they are settled with negative values, in both spellings
        let spaced = try a.run(["resolve", "member", "m-1", "name", "--value", "-1"])
        let joined = try a.run(["resolve", "member", "m-2", "name", "--value=-2"])
        // Then both are written
        #expect(spaced.status == 0, "\(spaced.stderr)")
        #expect(joined.status == 0, "\(joined.stderr)")
        #expect(try a.conflicts().isEmpty)
        let m1 = try JSONSerialization.jsonObject(with: Data(try a.ok("get", "member", "m-1", "--json").utf8)) as? [String: Any]
        #expect((m1?["fields"] as? [String: Any])?["name"] as? String == "-1")
    }

    @Test("digest --hub --json: match is a boolean, and a difference names the records only here, only at the hub, and held differently")
    func digestNamesDifferences() throws {
        let county = try County(stations: [("a", "yc-t01"), ("b", "yc-t01")])
        defer { county.hub.stop() }
        let (a, b) = (county["a"], county["b"])
        try a.ok("put", "member", "m-1", "name=林秀英", "orgUnitId=yc-t01", "category=retired")
        try a.ok("sync")
        // Given a station level with the hub
        let equal = try a.run(["digest", "--hub", "--json"])
        #expect(equal.status == 0)
        #expect(try equal.jsonObject()["match"] as? Bool == true)
        // When it edits one record and creates another without syncing, while another
        // station adds a record at the hub
        try a.ok("put", "member", "m-1", "name=林秀瑛")
        try a.ok("put", "member", "m-2", "name=王芳", "orgUnitId=yc-t01", "category=retired")
        try b.ok("put", "member", "m-3", "name=李明", "orgUnitId=yc-t01", "category=retired")
        try b.ok("sync")
        let different = try a.run(["digest", "--hub", "--json"])
        // Then the comparison says which records differ, and the command exits 1 with digest_mismatch
        #expect(different.status == 1)
        #expect(different.firstErrorLine.hasPrefix("error: digest_mismatch: "), "\(different.stderr)")
        let object = try different.jsonObject()
        #expect(object["match"] as? Bool == false)
        func ids(_ key: String) -> [String] { (object[key] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
        #expect(ids("onlyHere") == ["m-2"])
        #expect(ids("onlyAtHub") == ["m-3"])
        #expect(ids("different") == ["m-1"])
        let text = try a.run(["digest", "--hub"])
        #expect(text.stdout.contains("only on this station:") && text.stdout.contains("member m-2"), "\(text.stdout)")
        // And after a sync they match again
        try a.ok("sync")
        #expect(try a.run(["digest", "--hub", "--json"]).jsonObject()["match"] as? Bool == true)
    }

    @Test("log --json gives whole entries and says when it stopped at its limit; the hub's log pages every change")
    func logs() throws {
        let county = try County(stations: [("t1", "yc-t01")])
        defer { county.hub.stop() }
        let t1 = county["t1"]
        try t1.ok("put", "member", "m-1", "name=林秀英", "orgUnitId=yc-t01-c01", "category=retired", "phone=13800000000")
        try t1.ok("put", "member", "m-1", "name=林秀瑛")
        // Given five local changes, when the station shows two of them
        let page = try t1.run(["log", "--json", "--limit", "2"]).jsonObject()
        // Then they are whole (origin, clock, scope, bases, state) and "more" says others remain
        #expect(page["more"] as? Bool == true)
        let entries = try #require(page["entries"] as? [[String: Any]])
        #expect(entries.count == 2)
        let newest = try #require(entries.first)
        #expect(newest["field"] as? String == "name" && newest["scope"] as? String == "yc-t01-c01")
        #expect((newest["bases"] as? [String])?.count == 1)
        #expect((newest["hlc"] as? String)?.count == 16 && (newest["site"] as? String)?.count == 16)
        #expect(newest["state"] as? String == "waiting")
        #expect(try t1.run(["log", "--json"]).jsonObject()["more"] as? Bool == false)
        let text = try t1.run(["log", "--limit", "2"])
        #expect(text.stderr.contains("showing the newest 2 changes; older ones remain"), "\(text.stderr)")

        // When the station syncs and the hub's log is read a few entries at a time
        try t1.ok("sync")
        var after = 0
        var seen: [[String: Any]] = []
        while true {
            let result = try county.hubTool("log", "--after", String(after), "--limit", "500", "--json")
            #expect(result.status == 0, "\(result.stderr)")
            let hubPage = try result.jsonObject()
            seen += hubPage["entries"] as? [[String: Any]] ?? []
            guard hubPage["more"] as? Bool == true else { break }
            after = hubPage["cursor"] as? Int ?? 0
        }
        // Then the station's changes are there with origin, clock, scope and bases, the phone withheld
        let own = seen.filter { $0["type"] as? String == "member" }
        #expect(own.count == 5)
        #expect(own.allSatisfy { $0["pos"] is Int && ($0["site"] as? String)?.count == 16 && $0["scope"] as? String == "yc-t01-c01" })
        let phone = try #require(own.first { $0["field"] as? String == "phone" })
        #expect(phone["personal"] as? Bool == true && phone["value"] is NSNull)
        #expect((own.last?["bases"] as? [String])?.count == 1)
        // And the text form pages with a note, and --personal shows the value
        let first = try county.hubTool("log", "--limit", "3")
        #expect(first.stdout.split(separator: "\n").count == 3)
        #expect(first.stderr.contains("more entries follow: tributary-hub log --after "), "\(first.stderr)")
        let all = try county.hubTool("log", "--limit", "100000", "--personal")
        #expect(all.stdout.contains("13800000000") && !first.stderr.contains("13800000000"))
        #expect(try county.hubTool("log", "--limit", "100000").stdout.contains("phone = <personal>"))
    }
}
