import Foundation
import Testing
import TributaryTestSupport

/// The real `tributary` and `tributary-hub` executables: a station with no link syncs through
/// bundle files; the hub is backed up while it serves, restored from the older copy, and the
/// station puts back what the hub lost.
@Suite("Bundles, backup and restore (processes)", .serialized, .ownThreads)
struct BundleEndToEndTests {
    static func hubTool(_ args: String...) throws -> ToolResult {
        try CLIRunner.runTool(name: "tributary-hub", args: args)
    }

    @Test("a station syncs by USB stick alone; tampered files are refused; backup, restore and the epoch handshake lose nothing")
    func offlineStationAndRestore() throws {
        // Given: a hub with the sample county, and a township station with no link that holds its token.
        let dir = TemporaryDirectory("bundle-e2e")
        let hub = try HubProcess(database: dir.path("hub.db"))
        let token = try hub.addStation(org: "yc-t01", name: "桃城镇")
        let station = StationProcess(database: dir.path("station.db"), name: "t1")
        try station.ok("init", "--org", "yc-t01", "--name", "桃城镇")
        try station.ok("remote", "set", "--hub", "http://127.0.0.1:9", "--token", token, "--offline")
        try station.ok("put", "member", "m1", "name=林秀英", "orgUnitId=yc-t01", "category=retired")
        try station.ok("put", "member", "m2", "name=王芳", "orgUnitId=yc-t01", "category=direct")

        // When: the outbox goes to the hub on a stick and the reply comes back.
        let outbound = dir.path("out.tbundle"), reply = dir.path("reply.tbundle")
        #expect(try station.ok("export", "--out", outbound).contains("6 change(s)"))
        let imported = try Self.hubTool("import", "--db", hub.database, outbound, "--reply", reply, "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect((try imported.jsonObject()["imported"] as? [String: Any])?["applied"] as? Int == 6)

        // Then: a tampered or truncated copy is refused with one line and nothing applied…
        var tampered = [UInt8](try Data(contentsOf: URL(fileURLWithPath: reply)))
        tampered[tampered.count / 2] ^= 0x20
        try Data(tampered).write(to: URL(fileURLWithPath: dir.path("tampered.tbundle")))
        let refused = try station.run(["import", dir.path("tampered.tbundle")])
        #expect(refused.status == 1 && refused.errorLines.count == 1 && refused.stderr.hasPrefix("error: bundle_tampered: "))
        try Data(tampered.prefix(tampered.count - 30)).write(to: URL(fileURLWithPath: dir.path("short.tbundle")))
        let short = try Self.hubTool("import", "--db", hub.database, dir.path("short.tbundle"))
        #expect(short.status == 1 && short.stderr.hasPrefix("error: bundle_truncated: "), "\(short.stderr)")
        let status = try station.run(["status", "--json"]).jsonObject()
        #expect(status["outbox"] as? Int == 6)

        // …and the real reply clears the outbox and brings the county's units.
        #expect(try station.ok("import", reply).contains("6 left the outbox"))
        #expect(try station.run(["status", "--json"]).jsonObject()["outbox"] as? Int == 0)
        #expect(try station.ok("get", "orgUnit", "yc-t01").contains("桃城镇"))

        // Given: the hub serves; a backup is taken while the station pushes online.
        try hub.start()
        try station.ok("remote", "set", "--hub", hub.url, "--token", token)
        let (local, remote) = try station.digests()
        #expect(local == remote)
        for index in 0..<20 { try station.ok("put", "member", "b\(index)", "name=成员\(index)", "orgUnitId=yc-t01", "category=retired") }
        let backup = dir.path("backup.db")
        let push = try CLIRunner.startTool(name: "tributary", args: ["--db", station.database, "sync"])
        let backedUp = try Self.hubTool("backup", "--db", hub.database, "--out", backup, "--json")
        #expect(backedUp.status == 0, "\(backedUp.stderr)")
        #expect(push.wait().status == 0)
        try station.ok("put", "member", "late", "name=后来", "orgUnitId=yc-t01", "category=direct")
        try station.ok("sync")

        // When: the hub is restored from the older backup.
        hub.stop()
        let restored = try Self.hubTool("restore", "--db", hub.database, "--from", backup, "--json")
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try restored.jsonObject()["replacedMovedTo"] is String)
        try hub.start()

        // Then: the station notices the new epoch, pushes again what the hub lost, and agrees.
        let round = try station.run(["sync", "--json"])
        #expect(round.status == 0, "\(round.stderr)")
        #expect(try round.jsonObject()["rewound"] as? Bool == true)
        let (after, hubAfter) = try station.digests()
        #expect(after == hubAfter)
        #expect(try hub.ackedByStation()["桃城镇"] == 6 + 60 + 3)
    }
}
