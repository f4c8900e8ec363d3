import Foundation
import Testing
import TributaryTestSupport

/// The fault-injection soak, short (the full one is `Scripts/soak.sh`): the real
/// `tributary-soak` driver against the built `tributary-hub` and `tributary` executables on
/// 127.0.0.1 — six stations writing every merge policy, a faulty proxy per station, and
/// sixteen kill -9 of the hub and the stations, some in the middle of a sync.
@Suite struct SoakTests {
    @Test func aShortSoakLosesNothingAndAppliesNothingTwice() async throws {
        // Given the built executables and a seed (TRIBUTARY_SEED replays a failure)
        let seed = ProcessInfo.processInfo.environment["TRIBUTARY_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        let directory = TemporaryDirectory("soak")
        let figuresPath = directory.path("figures.json")
        let bin = try CLIRunner.executable("tributary").deletingLastPathComponent()

        // When the soak runs: 6 stations, until 16 kills have landed (about a minute here); the
        // time bound is only a backstop, so a slow machine lands its kills too (the figure
        // checked below is a count of kills, never a speed). It waits on a thread of its own: a
        // minute of waiting must not hold a concurrency-pool thread that in-process hubs of
        // other tests need.
        let args = [
            "--kills", "16", "--seconds", "300", "--stations", "6", "--seed", String(seed), "--bin-dir", bin.path,
            "--work-dir", directory.path("work"), "--json", figuresPath,
        ]
        let result = try await CLIRunner.offPool { try CLIRunner.runTool(name: "tributary-soak", args: args) }

        // Then it passes, and its figures say why: the kills landed, faults were injected,
        // every kind of write was acknowledged, nothing was lost or doubled, digests agree
        #expect(result.status == 0, "seed \(seed)\n\(result.stdout)\n\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: figuresPath))
        let figures = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "seed \(seed)")
        #expect((figures["killsSurvived"] as? Int ?? 0) >= 15, "seed \(seed)\n\(result.stdout)")
        #expect((figures["hubKills"] as? Int ?? 0) > 0, "seed \(seed)")
        #expect((figures["faultsInjected"] as? Int ?? 0) > 0, "seed \(seed)")
        let kinds = Set((figures["writesByKind"] as? [String: Int] ?? [:]).keys)
        #expect(kinds.isSuperset(of: ["create", "lww", "forward", "set", "appendOnly", "delete", "move"]), "seed \(seed): \(kinds)")
        #expect(figures["lost"] as? Int == 0, "seed \(seed)")
        #expect(figures["duplicated"] as? Int == 0, "seed \(seed)")
        #expect(figures["digestsEqual"] as? Int == 6, "seed \(seed)")
    }
}
