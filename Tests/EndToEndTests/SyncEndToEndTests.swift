import Foundation
import Testing
import TributaryTestSupport

/// Real `tributary-hub serve` and real `tributary` processes on loopback: stations with
/// overlapping and disjoint scopes edit offline, sync in random orders, and end up agreeing
/// with the hub — same digests, same conflicts, nothing lost.
@Suite("Sync end to end (processes)", .serialized, .ownThreads)
struct SyncEndToEndTests {
    /// Five stations: two devices of township yc-t01, its community yc-t01-c01, township
    /// yc-t02, and the county office.
    struct County {
        let dir = TemporaryDirectory("e2e")
        let hub: HubProcess
        var stations: [String: StationProcess] = [:]

        init(stations plan: [(name: String, org: String)]) throws {
            hub = try HubProcess(database: dir.path("hub.db"))
            var tokens: [String: String] = [:]
            for (name, org) in plan { tokens[name] = try hub.addStation(org: org, name: name) }
            try hub.start()
            for (name, _) in plan {
                let station = StationProcess(database: dir.path("\(name).db"), name: name)
                try station.ok("init", "--hub", hub.url, "--token", tokens[name]!)
                try station.ok("sync")
                stations[name] = station
            }
        }

        subscript(name: String) -> StationProcess { stations[name]! }
    }

    @Test("overlapping and disjoint scopes converge after concurrent offline edits of every policy")
    func convergence() throws {
        let seed = PropertySettings.baseSeed()
        var random = SeededRandom(seed: seed)
        let county = try County(stations: [
            ("a", "yc-t01"), ("b", "yc-t01"), ("c", "yc-t01-c01"), ("d", "yc-t02"), ("e", "yc"),
        ])
        let (a, b, c, d, e) = (county["a"], county["b"], county["c"], county["d"], county["e"])

        // Given: shared records that every station of the township has received.
        try a.ok("put", "member", "m1", "name=林秀英", "orgUnitId=yc-t01-c01", "category=retired")
        try a.ok("put", "serviceOrder", "so1", "orgUnitId=yc-t01-c01", "requester=郑阿婆", "category=elderCare",
                 "orderedOn=2026-11-26", "state=ordered")
        try a.ok("put", "activity", "act1", "orgUnitId=yc-t01-c01", "kind=unifiedActivityDay", "date=2026-11-28", "title=统一活动日")
        try a.ok("put", "meeting", "mt1", "orgUnitId=yc-t01", "kind=jointMeeting", "date=2026-11-26", "minutes=初稿")
        try d.ok("put", "member", "m2", "name=王建国", "orgUnitId=yc-t02", "category=direct")
        for station in [a, d, b, c, e] { try station.ok("sync") }

        // When: every station edits offline, concurrently, under every policy…
        try a.ok("put", "member", "m1", "name=林秀英(A)")
        try c.ok("put", "member", "m1", "name=林秀英(C)")
        try e.ok("put", "member", "m1", "name=林秀英(E)")
        try a.ok("put", "serviceOrder", "so1", "state=accepted")
        try b.ok("put", "serviceOrder", "so1", "state=done")
        try c.ok("put", "serviceOrder", "so1", "state=dispatched")
        try a.ok("put", "activity", "act1", "attendees=+x1")
        try b.ok("put", "activity", "act1", "attendees=+x2")
        try c.ok("put", "activity", "act1", "attendees=+x3")
        try a.ok("put", "volunteerHours", "vh1", "memberId=m1", "orgUnitId=yc-t01", "date=2026-11-26", "hours=1.5")
        try b.ok("put", "volunteerHours", "vh1", "memberId=m1", "orgUnitId=yc-t01", "date=2026-11-26", "hours=2")
        try b.ok("delete", "meeting", "mt1")
        try a.ok("put", "meeting", "mt1", "minutes=修改稿")
        try d.ok("put", "member", "m2", "phone=13800000002")
        try e.ok("put", "member", "m2", "category=retired")

        // …and then syncs in a random order, with repetitions, then twice all round.
        let names = ["a", "b", "c", "d", "e"]
        for _ in 0..<8 { try county[names.randomElement(using: &random)!].ok("sync") }
        for _ in 0..<2 { for name in names { try county[name].ok("sync") } }

        // Then: every replica equals the hub's view of its scope…
        for name in names {
            let digests = try county[name].digests()
            #expect(digests.local == digests.hub, "station \(name) differs from the hub (seed \(seed))")
        }
        // …stations that see the same records hold the same conflicts, and they are real…
        let conflicts = try a.conflicts()
        #expect(conflicts.count == 3, "2 losing names + 1 delete/edit: \(conflicts) (seed \(seed))")
        for name in ["b", "c", "e"] {
            #expect(try county[name].conflicts() == conflicts, "station \(name) (seed \(seed))")
        }
        #expect(try d.conflicts().isEmpty)
        // …nothing is lost: every outbox is empty, nothing refused, and both check-in sets count.
        for name in names {
            let status = try county[name].run(["status", "--json"]).jsonObject()
            #expect("\(status["outbox"] ?? "")" == "0", "station \(name): \(status)")
            #expect("\(status["refused"] ?? "")" == "0", "station \(name): \(status)")
        }
        let activity = try b.ok("get", "activity", "act1", "--json")
        #expect(activity.contains("x1") && activity.contains("x2") && activity.contains("x3"))
        let order = try e.ok("get", "serviceOrder", "so1", "--json")
        #expect(order.contains("\"done\""), "forward: the furthest state wins")
    }

    /// The members a station's replica holds now (read while another process may write it).
    static func members(in station: StationProcess) throws -> Int {
        let status = try station.run(["status", "--json"]).jsonObject()
        return (status["records"] as? [String: Any])?["member"] as? Int ?? 0
    }

    /// A JSONL import of `count` members in `org`, as `tributary import` reads it.
    static func members(_ count: Int, org: String, prefix: String) -> String {
        (0..<count).map { index in
            #"{"type":"member","id":"\#(prefix)-\#(index)","fields":{"name":"成员\#(index)","orgUnitId":"\#(org)","category":"direct","birthYear":\#(1950 + index % 50)}}"#
        }.joined(separator: "\n")
    }

    @Test("a station killed mid-push and mid-pull resumes with nothing lost or doubled")
    func killStation() throws {
        let county = try County(stations: [("a", "yc-t01"), ("b", "yc-t01")])
        let (a, b) = (county["a"], county["b"])
        // Given: a station with 24,000 changes waiting.
        try a.run(["import", "-"], stdin: Self.members(6_000, org: "yc-t01-c01", prefix: "m"))

        // When: it is killed once the hub has acknowledged part of its push (not all of it)…
        let push = try CLIRunner.startTool(name: "tributary", args: ["--db", a.database, "sync"])
        var acked = 0
        while acked == 0 && push.process.isRunning { acked = try county.hub.ackedByStation()["a"] ?? 0 }
        push.kill9()
        #expect(push.wait().killedBySignal, "the push ended before it could be killed")
        let ackedAtKill = try county.hub.ackedByStation()["a"] ?? 0
        #expect(ackedAtKill > 0 && ackedAtKill < 6_000 * 4, "killed mid-push: \(ackedAtKill) of \(6_000 * 4) acknowledged")
        // …and the other device is killed once its pull has applied some members, not all.
        try a.ok("sync")
        let pull = try CLIRunner.startTool(name: "tributary", args: ["--db", b.database, "sync"])
        var pulled = 0
        while pulled == 0 && pull.process.isRunning { pulled = try Self.members(in: b) }
        pull.kill9()
        #expect(pull.wait().killedBySignal, "the pull ended before it could be killed")
        let pulledAtKill = try Self.members(in: b)
        #expect(pulledAtKill < 6_000, "killed mid-pull: \(pulledAtKill) of 6000 members applied")

        // Then: both finish on the next round and agree with the hub.
        try b.ok("sync")
        try a.ok("sync")
        for station in [a, b] {
            let digests = try station.digests()
            #expect(digests.local == digests.hub, "\(station.name)")
        }
        #expect(try county.hub.ackedByStation()["a"] == 6_000 * 4)
        let records = try b.run(["status", "--json"]).jsonObject()["records"] as? [String: Any]
        #expect(records?["member"] as? Int == 6_000)
    }

    @Test("a hub killed mid-push restarts, and the station's retry converges without duplicates")
    func killHub() throws {
        let county = try County(stations: [("a", "yc-t01"), ("b", "yc-t01")])
        let (a, b) = (county["a"], county["b"])
        try a.run(["import", "-"], stdin: Self.members(5_000, org: "yc-t01-c02", prefix: "h"))

        // Given: a push in progress.
        let push = try CLIRunner.startTool(name: "tributary", args: ["--db", a.database, "sync"])
        var acked = 0
        while acked == 0 && push.process.isRunning { acked = try county.hub.ackedByStation()["a"] ?? 0 }
        // When: the hub dies mid-push, the station gives up (hub unreachable), the hub restarts.
        county.hub.kill9()
        let ended = push.wait()
        #expect(ended.status == 3 && !ended.killedBySignal, "the station should have lost its hub mid-push (exit 3), got \(ended.status)")
        try county.hub.start()
        // Then: the next rounds converge; the hub holds each change exactly once.
        try a.ok("sync")
        try b.ok("sync")
        #expect(try county.hub.ackedByStation()["a"] == 5_000 * 4)
        for station in [a, b] {
            let digests = try station.digests()
            #expect(digests.local == digests.hub, "\(station.name)")
        }
        let status = try a.run(["status", "--json"]).jsonObject()
        #expect("\(status["outbox"] ?? "")" == "0")
    }
}
