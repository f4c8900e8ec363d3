import Foundation
import Testing
import TributaryTestSupport

/// The shipped `nginx-tributary-upstream.conf` in front of three `tributary-hub serve`
/// processes on one PostgreSQL database, as Scripts/deploy/README.md §7 sets them up: stations
/// sync through nginx over TLS wherever it sends each request, a dashboard session opened
/// through one process works through the others, and every digest ends equal.
@Suite("Three hub processes behind the shipped nginx upstream", .serialized, .ownThreads,
    .enabled(if: PostgresTestServer.shouldRun && NginxFront.shouldRun,
        "needs PostgreSQL and nginx: \(PostgresTestServer.unavailableReason ?? "") \(NginxFront.missing ?? "")"))
struct PostgresNginxTests {
    /// What the scenario observed, checked on the test's task.
    struct Observed: Sendable {
        var check: ToolResult?
        var member = ""
        var digests: [String: (local: String, hub: String)] = [:]
        var acked: Int?
    }

    @Test func stationsSyncThroughNginxAndThreeProcesses() async throws {
        if let missing = NginxFront.missing { Issue.record("CI=true but \(missing)"); return }
        // The processes are driven and waited for off the concurrency pool; checked here.
        let seen = try await CLIRunner.offPool { try Self.scenario() }
        let check = try #require(seen.check)
        #expect(check.status == 0, "\(check.stderr)")
        // Then both hold the correction and agree with the hub, whichever process answered
        #expect(seen.member.contains("林秀英同志"))
        #expect(seen.digests.count == 2)
        for (name, digests) in seen.digests {
            #expect(digests.local == digests.hub, "\(name)")
        }
        #expect(seen.acked == 3)
    }

    static func scenario() throws -> Observed {
        var seen = Observed()
        // Given three processes on one database, started as the README says, behind nginx
        let directory = TemporaryDirectory("pg-nginx")
        let url = try PostgresTestServer.require().newDatabase("nginx")
        var hubs = [try HubProcess(database: url, logPath: directory.path("hub1.log"))]
        for index in 2...3 { hubs.append(try HubProcess(database: url, importSampleCounty: false, logPath: directory.path("hub\(index).log"))) }
        let tokens = [try hubs[0].addStation(org: "yc-t01", name: "桃城镇"), try hubs[0].addStation(org: "yc", name: "县委组织部")]
        for hub in hubs {
            hub.serveArguments += ["--trust-forwarded-for", "--max-connections-per-address", "0"]
            try hub.start()
        }
        defer { for hub in hubs { hub.stop() } }
        let certificates = try TestCertificates(in: directory)
        let nginx = try NginxFront(
            file: NginxFront.shippedUpstream, hubPorts: [8081: hubs[0].port, 8082: hubs[1].port, 8083: hubs[2].port], certificates: certificates,
            directory: directory)
        seen.check = try nginx.check()
        try nginx.start()
        defer { nginx.stop() }

        // When a township and the county sync through nginx, the county correcting the
        // township's member, several rounds
        let township = StationProcess(database: directory.path("township.db"), name: "township")
        let county = StationProcess(database: directory.path("county.db"), name: "county")
        try township.ok("init", "--hub", nginx.url, "--token", tokens[0], "--ca", certificates.authority)
        try county.ok("init", "--hub", nginx.url, "--token", tokens[1], "--ca", certificates.authority)
        try township.ok("put", "member", "m-1", "name=林秀英", "orgUnitId=yc-t01-c01", "category=retired")
        try township.ok("sync")
        try county.ok("sync")
        try county.ok("put", "member", "m-1", "name=林秀英同志")
        for _ in 0..<3 {
            try county.ok("sync")
            try township.ok("sync")
        }
        seen.member = try township.ok("get", "member", "m-1")
        for station in [township, county] { seen.digests[station.name] = try station.digests() }
        seen.acked = try hubs[2].ackedByStation()["桃城镇"]
        return seen
    }
}
