import Foundation
import Testing
import TributaryTestSupport

/// Real `tributary-hub serve` and `tributary` processes with their files on a small tmpfs that
/// fills up or turns read-only (SPEC §16).
@Suite("Disk faults end to end (processes)", .serialized, .ownThreads)
struct DiskFaultEndToEndTests {
    /// JSON Lines for `tributary import`: `count` members of `unit` from `start`.
    static func members(_ start: Int, _ count: Int, unit: String = "yc-t01-c01") -> String {
        (start..<start + count).map { index in
            #"{"type":"member","id":"m-\#(index)","fields":{"name":"林秀英\#(index)","orgUnitId":"\#(unit)","category":"retired"}}"#
        }.joined(separator: "\n") + "\n"
    }

    static func outbox(_ station: StationProcess) throws -> Int {
        try station.run(["status", "--json"]).jsonObject()["outbox"] as? Int ?? -1
    }

    @Test(
        "the hub's volume fills during pushes: refused pushes stay in the outbox, acknowledged ones survive, the hub recovers without a restart",
        .enabled(if: ScratchVolume.canMount, "needs to mount a tmpfs: \(ScratchVolume.unavailableReason ?? "")"))
    func hubVolumeFills() throws {
        // Given a hub on a 4 MB volume and a township station on the ordinary disk
        let volume = try ScratchVolume(size: 4 << 20)
        let dir = TemporaryDirectory("e2e-disk")
        let hub = try HubProcess(database: volume.path("hub.db"))
        let token = try hub.addStation(org: "yc-t01", name: "a")
        try hub.start()
        defer { hub.stop() }
        let station = StationProcess(database: dir.path("a.db"), name: "a")
        try station.ok("init", "--hub", hub.url, "--token", token)
        try station.ok("sync")

        // When the station imports 50 members at a time and syncs, with 256 KB left on the hub's volume
        volume.fill(leaving: 256 << 10)
        var imported = 0
        var acknowledged = 0
        var failure: ToolResult?
        for _ in 0..<60 {
            let result = try station.run(["import", "-"], stdin: Self.members(imported, 50))
            guard result.status == 0 else { throw CLIRunner.Failure("import: \(result.stderr)") }
            imported += 50
            let sync = try station.run(["sync"])
            if sync.status != 0 {
                failure = sync
                break
            }
            acknowledged = imported
        }

        // Then the sync that could not be stored fails with disk_full, one clear line
        let failed = try #require(failure, "60 pushes fitted on a full volume")
        #expect(failed.errorLines.last?.hasPrefix("error: disk_full: ") == true, "\(failed.stderr)")
        // And the station keeps what the hub did not acknowledge; the hub holds exactly what it acknowledged
        let waiting = try Self.outbox(station)
        #expect(waiting == (imported - acknowledged) * 3, "outbox \(waiting), imported \(imported), acknowledged \(acknowledged)")
        #expect(try hub.ackedByStation()["a"] == acknowledged * 3)
        print("disk-e2e: hub volume 4 MB, 256 KB left; \(acknowledged) members (\(acknowledged * 3) changes) acknowledged before the first disk_full; \(waiting) changes kept in the outbox")

        // When space is back / Then the same hub, not restarted, takes the push
        volume.free()
        try station.ok("sync")
        #expect(try Self.outbox(station) == 0)
        #expect(try hub.ackedByStation()["a"] == imported * 3)

        // And after a restart everything acknowledged is still there: the digests agree
        hub.stop()
        try hub.start()
        let (local, remote) = try station.digests()
        #expect(!local.isEmpty && local == remote)
        #expect(try station.run(["list", "member", "--json"]).json() as? [Any] != nil)

        // When the hub's volume turns read-only / Then `tributary-hub` reads, and a write says read_only
        hub.stop()
        try volume.remountReadOnly()
        #expect(try hub.ackedByStation()["a"] == imported * 3)
        let add = try CLIRunner.runTool(name: "tributary-hub", args: ["station", "add", "--db", hub.database, "--org", "yc-t01", "--name", "b"])
        #expect(add.status == 1 && add.errorLines.last?.hasPrefix("error: read_only: ") == true, "\(add.stderr)")
    }

    @Test(
        "a station on a full volume refuses writes with disk_full and keeps reading; on a read-only volume it reads and refuses with read_only",
        .enabled(if: ScratchVolume.canMount, "needs to mount a tmpfs: \(ScratchVolume.unavailableReason ?? "")"))
    func stationVolume() throws {
        // Given a station with 20 members on a 2 MB volume, which then fills up
        let volume = try ScratchVolume(size: 2 << 20)
        let station = StationProcess(database: volume.path("station.db"), name: "s")
        try station.ok("init", "--org", "yc-t01")
        try OrgTreeSeed.install(Array(OrgTreeSeed.township.prefix(2)), into: volume.path("station.db"))
        let first = try station.run(["import", "-"], stdin: Self.members(0, 20, unit: "yc-t01"))
        #expect(first.status == 0, "\(first.stderr)")
        volume.fill()

        // When members keep being imported until one import does not fit
        var imported = 20
        var failure: ToolResult?
        for _ in 0..<200 {
            let result = try station.run(["import", "-"], stdin: Self.members(imported, 20, unit: "yc-t01"))
            if result.status != 0 {
                failure = result
                break
            }
            imported += 20
        }
        // Then it fails with disk_full naming the file, and nothing of it is in
        let failed = try #require(failure, "4,000 members fitted on a full 2 MB volume")
        #expect(failed.errorLines.last?.hasPrefix("error: disk_full: ") == true, "\(failed.stderr)")
        #expect(failed.stderr.contains(station.database))
        #expect(try Self.outbox(station) == imported * 3)
        // And reads still work
        try station.ok("get", "member", "m-0")

        // When the volume turns read-only
        volume.free()
        try volume.remountReadOnly()
        // Then status and get work, and a write fails with read_only
        #expect(try Self.outbox(station) == imported * 3)
        try station.ok("get", "member", "m-0")
        let refused = try station.run(["put", "member", "m-new", "name=王建国", "orgUnitId=yc-t01", "category=direct"])
        #expect(refused.status != 0 && refused.errorLines.last?.hasPrefix("error: read_only: ") == true, "\(refused.stderr)")
        print("disk-e2e: station volume 2 MB filled after \(imported) members (\(imported * 3) changes), all kept")
    }
}
