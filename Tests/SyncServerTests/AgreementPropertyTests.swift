import Foundation
import Testing
import TributaryTestSupport

/// Agreement (issue 16): after every sync that leaves nothing more to move, every station
/// holds exactly its view of what the hub accepted — the reference `MemoryReplica` over the
/// hub's whole log, cut by the scope rule — its digest is the hub's `/v1/digest` for it, and
/// it and the hub agree on what was refused and acknowledged. Histories mix moves up, down
/// and sideways, personal fields, writes the hub refuses, late bootstraps, compaction, quiet
/// evenings and clocks that jump. See Tests/SyncServerTests/Agreement/.
///
/// `TRIBUTARY_SEED` replays a seed, `TRIBUTARY_PROPERTY_RUNS` sets the number of histories,
/// `TRIBUTARY_AGREEMENT_WITHOUT` leaves kinds of steps out (see ``HistoryFeatures``), and
/// `TRIBUTARY_AGREEMENT_SURVEY=1` runs every history and prints how many broke, and where.
@Suite("Agreement properties")
struct AgreementPropertyTests {
    @Test("every replica agrees with the hub at every quiescent point", arguments: HubStoreKind.all)
    func everyReplicaAgrees(kind: HubStoreKind) async throws {
        // A PostgreSQL history runs several times slower (a database per history, a round trip
        // per statement): a fifth as many of them.
        let runs = kind == .sqlite ? PropertySettings.runs(default: 200) : max(1, PropertySettings.runs(default: 200) / 5)
        let base = PropertySettings.baseSeed()
        let survey = ProcessInfo.processInfo.environment["TRIBUTARY_AGREEMENT_SURVEY"] != nil
        // Two histories at a time (each on its own hub and files): a history mostly waits on
        // SQLite, and CI has two cores.
        let broken = try await withThrowingTaskGroup(of: HistoryOutcome.self) { group in
            var next = 0
            var broken: [HistoryOutcome] = []
            func start() {
                let seed = base &+ UInt64(next)
                next += 1
                group.addTask { try await AgreementHistory.run(seed: seed, kind: kind) }
            }
            for _ in 0..<min(2, runs) { start() }
            while let outcome = try await group.next() {
                if outcome.divergence != nil { broken.append(outcome) }
                if next < runs && (survey || broken.isEmpty) { start() }
            }
            return broken.sorted { $0.seed < $1.seed }
        }
        if survey {
            let kinds = Dictionary(grouping: broken) { $0.divergence!.check }
            let lines = kinds.sorted { $0.value.count > $1.value.count }.map { "\($0.value.count)× \($0.key) (e.g. seed \($0.value[0].seed))" }
            print("agreement survey (\(kind)) over \(runs) histories from seed \(base): \(broken.count) broke\n" + lines.joined(separator: "\n"))
        }
        if let first = broken.first { Issue.record(Comment(rawValue: first.report)) }
    }

    @Test("histories move records every way, refuse, bootstrap, compact and jump clocks")
    func historiesAreRich() async throws {
        // Given: a batch of histories from fixed seeds, all kinds of steps allowed.
        var stats = HistoryStats()
        for seed in UInt64(1)...20 {
            // When: each is played to its end (whether or not the replicas agree).
            stats.add(try await AgreementHistory.run(seed: seed, features: HistoryFeatures(), checking: false).stats)
        }
        // Then: they exercise what agreement is about, not a trivially agreeing subset.
        #expect(stats.movesUp > 0 && stats.movesDown > 0 && stats.movesSideways > 0, "\(stats)")
        #expect(stats.personalMoves > 0, "\(stats)")
        #expect(stats.hubRefusals > 0 && stats.localRefusals > 0 && stats.staleWrites > 0, "\(stats)")
        #expect(stats.bootstraps > 0 && stats.compactions > 0, "\(stats)")
        #expect(stats.clockJumps > 0 && stats.quietPeriods > 0, "\(stats)")
        #expect(stats.deletes > 0 && stats.restores > 0 && stats.setEdits > 0 && stats.advances > 0, "\(stats)")
    }
}
