import FaultProxy
import Foundation
import GRDB
import Hummingbird
import SyncModel
import Testing
import TributaryTestSupport

/// A station whose token is revoked in the middle of delivering a large outbox gets a new
/// token for the same station (`tributary-hub station rotate`) and delivers the rest — over
/// HTTP or by bundle — every change exactly once (SPEC §10 "Stations and sites").
@Suite("Station token rotation (processes)", .serialized)
struct StationRotateEndToEndTests {
    /// Members per station: 4 changes each, so 20,000 changes, pushed in batches of 1,000,
    /// 2,000, 4,000, 5,000… (the station doubles its batch up to 5,000).
    static let members = 5_000
    static let changes = members * 4

    /// A hub process, one station replica with a full outbox, and a proxy in front of the hub
    /// that can hold the station's third push back.
    struct Setting {
        let dir = TemporaryDirectory("rotate")
        let hub: HubProcess
        let station: StationProcess
        let stationID: String
        /// The token the station was registered with.
        let token: String
        let proxy: FlakyProxy

        init() async throws {
            hub = try HubProcess(database: dir.path("hub.db"))
            token = try hub.addStation(org: "yc-t01", name: "a")
            let list = try CLIRunner.runTool(name: "tributary-hub", args: ["station", "list", "--db", hub.database, "--json"])
            let stations = try #require(try list.json() as? [[String: Any]])
            stationID = try #require(stations.first { $0["name"] as? String == "a" }?["id"] as? String)
            try hub.start()
            station = StationProcess(database: dir.path("a.db"), name: "a")
            let (station, url, token) = (station, hub.url, token)
            try await CLIRunner.offPool {
                try station.ok("init", "--hub", url, "--token", token)
                try station.ok("sync")
                try station.run(["import", "-"], stdin: SyncEndToEndTests.members(StationRotateEndToEndTests.members, org: "yc-t01-c01", prefix: "r"))
            }
            proxy = FlakyProxy(upstream: URL(string: hub.url)!, path: "", faults: [])
        }

        /// Runs the proxy while `body` runs; `body` gets the proxy's URL.
        func withProxy<T: Sendable>(_ body: @Sendable @escaping (String) async throws -> T) async throws -> T {
            try await withThrowingTaskGroup(of: T?.self) { group in
                let (ports, continuation) = AsyncStream<Int>.makeStream()
                let application = proxy.application(onServerRunning: { port in
                    continuation.yield(port)
                    continuation.finish()
                })
                group.addTask {
                    try await application.runService(gracefulShutdownSignals: [])
                    return nil
                }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw CLIRunner.Failure("the proxy did not start") }
                let result = try await body("http://127.0.0.1:\(port)")
                group.cancelAll()
                return result
            }
        }

        /// Syncs through the proxy, revokes the station's token (a second process, on the live
        /// hub) while the proxy holds its third push, then lets the push go on.
        /// - Returns: how the sync ended, and the seq the hub had acknowledged when the token was revoked.
        func revokeMidPush() async throws -> (ended: ToolResult, acked: Int) {
            let (database, stationID, hubDB, proxy, token) = (station.database, stationID, hub.database, proxy, token)
            return try await withProxy { url in
                try HubProcess.check(
                    try CLIRunner.runTool(name: "tributary", args: ["--db", database, "remote", "set", "--hub", url, "--token", token, "--offline"]))
                proxy.hold(request: 3, pathContaining: "/v1/push")
                async let ended = CLIRunner.offPool {
                    try CLIRunner.startTool(name: "tributary", args: ["--db", database, "sync"]).result()
                }
                await proxy.held()
                let acked = try await CLIRunner.offPool { try HubProcess.acked(database: hubDB, station: "a") }
                let revoked = try await CLIRunner.offPool {
                    try CLIRunner.runTool(name: "tributary-hub", args: ["station", "revoke", "--db", hubDB, stationID])
                }
                try HubProcess.check(revoked)
                proxy.release()
                return (try await ended, acked)
            }
        }

        /// The acknowledged seq of the station, per the hub.
        func acked() throws -> Int { try hub.ackedByStation()["a"] ?? -1 }

        /// The hub's log entries of the station's site, and how many distinct seqs they hold.
        func hubLogEntries() throws -> (entries: Int, seqs: Int) {
            let site = try #require(try station.run(["status", "--json"]).jsonObject()["site"] as? String)
            let siteID = try #require(SiteID(hex: site))
            var configuration = GRDB.Configuration()
            configuration.readonly = true
            let database = try DatabaseQueue(path: hub.database, configuration: configuration)
            return try database.read { db in
                let row = try Row.fetchOne(
                    db, sql: "SELECT count(*), count(DISTINCT seq) FROM log WHERE site = ?", arguments: [Int64(bitPattern: siteID.rawValue)])!
                return (row[0], row[1])
            }
        }

        /// Issues the station a new token with the real command and returns it.
        func rotate() throws -> String {
            let result = try CLIRunner.runTool(name: "tributary-hub", args: ["station", "rotate", "--db", hub.database, stationID, "--json"])
            try HubProcess.check(result)
            return try #require(try result.jsonObject()["token"] as? String)
        }
    }

    @Test("revoked mid-push, rotated, synced: every change arrives once")
    func overHTTP() async throws {
        // Given a station pushing 20,000 changes whose token is revoked while its third push is held
        let setting = try await Setting()
        let (ended, acked) = try await setting.revokeMidPush()

        // Then the sync stops with token_revoked after two pushes (1,000 and 2,000 changes),
        // having applied nothing more, and says what to do
        #expect(ended.status != 0)
        #expect(ended.stderr.contains("token_revoked") && ended.stderr.contains("station rotate \(setting.stationID)"), "\(ended.stderr)")
        #expect(acked == 3_000)
        #expect(try setting.acked() == acked)

        // When the county rotates the token and the station takes the new one
        let token = try setting.rotate()
        let (station, url) = (setting.station, setting.hub.url)
        try await CLIRunner.offPool {
            try station.ok("remote", "set", "--hub", url, "--token", token)
            try station.ok("sync")
        }

        // Then every change arrived exactly once, and the replica equals the hub's view
        #expect(try setting.acked() == Self.changes)
        let log = try setting.hubLogEntries()
        #expect(log.entries == Self.changes && log.seqs == Self.changes)
        let digests = try setting.station.digests()
        #expect(digests.local == digests.hub)
        #expect("\(try setting.station.run(["status", "--json"]).jsonObject()["outbox"] ?? "")" == "0")
    }

    @Test("revoked mid-push, rotated, carried by bundle: every change arrives once; the old token's bundle is refused")
    func byBundle() async throws {
        // Given a station revoked after two of its four pushes, and the county rotating its token
        let setting = try await Setting()
        let (_, acked) = try await setting.revokeMidPush()
        #expect(acked == 3_000)
        let token = try setting.rotate()
        let oldBundle = setting.dir.path("old.tbundle")
        let newBundle = setting.dir.path("new.tbundle")
        let reply = setting.dir.path("reply.tbundle")

        // When the station exports a bundle still signed with its old token
        let (station, url, hubDB) = (setting.station, setting.hub.url, setting.hub.database)
        let refused = try await CLIRunner.offPool {
            try station.ok("export", "--out", oldBundle)
            return try CLIRunner.runTool(name: "tributary-hub", args: ["import", "--db", hubDB, oldBundle])
        }

        // Then the hub refuses it, naming the way out, and applies nothing
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("token_revoked") && refused.stderr.contains("remote set"), "\(refused.stderr)")
        #expect(try setting.acked() == acked)

        // When the station takes the new token offline, exports again, and the hub imports it
        try await CLIRunner.offPool {
            try station.ok("remote", "set", "--hub", url, "--token", token, "--offline")
            try station.ok("export", "--out", newBundle)
            try HubProcess.check(try CLIRunner.runTool(name: "tributary-hub", args: ["import", "--db", hubDB, newBundle, "--reply", reply]))
            try station.ok("import", reply)
        }

        // Then every change arrived exactly once and the outbox is empty
        #expect(try setting.acked() == Self.changes)
        let log = try setting.hubLogEntries()
        #expect(log.entries == Self.changes && log.seqs == Self.changes)
        #expect("\(try setting.station.run(["status", "--json"]).jsonObject()["outbox"] ?? "")" == "0")
        let digests = try setting.station.digests()
        #expect(digests.local == digests.hub)
    }
}
