import Foundation
import SyncModel
import SyncStore
import Testing
import TributaryTestSupport
import CountyWork

/// Three real `tributary-hub serve` processes on one PostgreSQL database, stations pushing and
/// pulling through different processes, one process killed with -9 in the middle of a large
/// push: nothing is lost, nothing applied twice, every digest equal.
@Suite("Several hub processes on PostgreSQL", .serialized,
    .enabled(if: PostgresTestServer.shouldRun, "needs PostgreSQL: \(PostgresTestServer.unavailableReason ?? "")"))
struct PostgresMultiHubTests {
    @Test func aHubKilledMidPushLosesNothingAndAppliesNothingTwice() async throws {
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
        // The kill came in the middle of the push: part of it acknowledged, not all
        #expect(partial > 0 && partial < 16_000, "hub A was killed after \(partial) of 16,000 changes were acknowledged")
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
        let acked = try b.ackedByStation()
        #expect(acked["big"] == 16_000 && acked["small"] == 3, "\(acked) (partial \(partial))")
        let log = try CLIRunner.runTool(name: "tributary-hub", args: ["log", "--db", url, "--json", "--limit", "100000"])
        try HubProcess.check(log)
        let entries = (try log.jsonObject()["entries"] as? [[String: Any]]) ?? []
        let origins = Set(entries.map { "\($0["site"] ?? "")/\($0["seq"] ?? "")" })
        #expect(origins.count == entries.count, "a change was logged twice")
        #expect(entries.filter { ($0["type"] as? String) == "member" }.count == 16_000 + 3)
        for station in [big, small, county] {
            let digests = try station.digests()
            #expect(digests.local == digests.hub, "\(station.name)")
        }
        let viaA = try CLIRunner.runTool(name: "tributary-hub", args: ["digest", "--db", url])
        #expect(viaA.status == 0)
        #expect(try county.ok("get", "member", "m-3999").contains("成员3999"))
    }
}
