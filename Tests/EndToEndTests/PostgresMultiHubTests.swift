import Foundation
import SyncModel
import SyncStore
import Testing
import TributaryTestSupport
import CountyWork

/// Three real `tributary-hub serve` processes on one PostgreSQL database, stations pushing and
/// pulling through different processes, one process killed with -9 in the middle of a large
/// push: nothing is lost, nothing applied twice, every digest equal.
@Suite("Several hub processes on PostgreSQL", .serialized, .ownThreads,
    .enabled(if: PostgresTestServer.shouldRun, "needs PostgreSQL: \(PostgresTestServer.unavailableReason ?? "")"))
struct PostgresMultiHubTests {
    /// What the scenario observed, checked on the test's task.
    struct Observed: Sendable {
        var partial = 0
        var acked: [String: Int] = [:]
        var log: ToolResult?
        var digests: [String: (local: String, hub: String)] = [:]
        var digestStatus: Int32 = 0
        var member = ""
    }

    @Test func aHubKilledMidPushLosesNothingAndAppliesNothingTwice() async throws {
        // The processes are driven and waited for off the concurrency pool (in-process hubs of
        // other tests run on it meanwhile); the expectations are checked here.
        let seen = try await CLIRunner.offPool { try Self.scenario() }
        #expect(seen.partial > 0 && seen.partial < 16_000, "hub A was killed after \(seen.partial) of 16,000 changes were acknowledged")
        #expect(seen.acked["big"] == 16_000 && seen.acked["small"] == 3, "\(seen.acked) (partial \(seen.partial))")
        let log = try #require(seen.log)
        try HubProcess.check(log)
        let entries = (try log.jsonObject()["entries"] as? [[String: Any]]) ?? []
        let origins = Set(entries.map { "\($0["site"] ?? "")/\($0["seq"] ?? "")" })
        #expect(origins.count == entries.count, "a change was logged twice")
        #expect(entries.filter { ($0["type"] as? String) == "member" }.count == 16_000 + 3)
        for (name, digests) in seen.digests {
            #expect(digests.local == digests.hub, "\(name)")
        }
        #expect(seen.digestStatus == 0)
        #expect(seen.member.contains("成员3999"))
    }

    static func scenario() throws -> Observed {
        var seen = Observed()
        // Given: three hub processes on one database and three stations, each syncing
        // through a process of its own
        let dir = TemporaryDirectory("pg-multi")
        let url = try PostgresTestServer.require().newDatabase("multi")
        let a = try HubProcess(database: url, logPath: dir.path("a.log"))
        let b = try HubProcess(database: url, importSampleCounty: false, logPath: dir.path("b.log"))
        let c = try HubProcess(database: url, importSampleCounty: false, logPath: dir.path("c.log"))
        let tokens = [
            "big": try a.addStation(org: "yc-t01", name: "big"), "small": try a.addStation(org: "yc-t02", name: "small"),
            "county": try a.addStation(org: "yc", name: "county"),
        ]
        try a.start()
        try b.start()
        try c.start()
        defer {
            a.stop()
            b.stop()
            c.stop()
        }
        let big = StationProcess(database: dir.path("big.db"), name: "big")
        let small = StationProcess(database: dir.path("small.db"), name: "small")
        let county = StationProcess(database: dir.path("county.db"), name: "county")
        try big.ok("init", "--hub", a.url, "--token", tokens["big"]!)
        try small.ok("init", "--hub", b.url, "--token", tokens["small"]!)
        try county.ok("init", "--hub", c.url, "--token", tokens["county"]!)
        // 4,000 members (16,000 changes) at the big station, written into its replica
        let schema = try CountyWorkSchema.load()
        let replica = try ReplicaStore.open(path: big.database, schema: schema)
        var edits: [LocalEdit] = []
        for index in 0..<4_000 {
            let id = "m-\(index)"
            for (field, value) in [("orgUnitId", "yc-t01-c01"), ("name", "成员\(index)"), ("category", "retired"), ("phone", "1380000\(index)")] {
                edits.append(LocalEdit(key: FieldKey(type: "member", id: id, field: field), scope: "yc-t01-c01", value: .string(value)))
            }
        }
        try replica.writeLocal(edits)
        try small.ok("put", "member", "w-1", "name=王建国", "orgUnitId=yc-t02", "category=direct")

        // When: the big station syncs through hub A and A is killed -9 once the hub has
        // acknowledged part of its push, while the others sync through hubs B and C
        let sync = Process()
        sync.executableURL = try CLIRunner.executable("tributary")
        sync.arguments = ["--db", big.database, "sync"]
        sync.standardOutput = FileHandle.nullDevice
        sync.standardError = FileHandle.nullDevice
        try sync.run()
        var partial = 0
        while sync.isRunning {
            partial = try b.ackedByStation()["big"] ?? 0
            if partial > 0 { break }
        }
        a.kill9()
        sync.waitUntilExit()
        seen.partial = partial
        try small.ok("sync")
        try county.ok("sync")
        // …then A comes back (same port, same database) and every station syncs again
        try a.start()
        for _ in 0..<2 {
            try big.ok("sync")
            try small.ok("sync")
            try county.ok("sync")
        }

        // Then: the hub holds every change exactly once, and every replica equals the hub's
        // view of it, whichever process answers
        seen.acked = try b.ackedByStation()
        seen.log = try CLIRunner.runTool(name: "tributary-hub", args: ["log", "--db", url, "--json", "--limit", "100000"])
        for station in [big, small, county] { seen.digests[station.name] = try station.digests() }
        seen.digestStatus = try CLIRunner.runTool(name: "tributary-hub", args: ["digest", "--db", url]).status
        seen.member = try county.ok("get", "member", "m-3999")
        return seen
    }
}
