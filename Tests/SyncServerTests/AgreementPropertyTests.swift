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
    @Test("every replica agrees with the hub at every quiescent point")
    func everyReplicaAgrees() async throws {
        let runs = PropertySettings.runs(default: 200)
        let base = PropertySettings.baseSeed()
        let survey = ProcessInfo.processInfo.environment["TRIBUTARY_AGREEMENT_SURVEY"] != nil
        var broken: [String: [UInt64]] = [:]
        var firstReport: String?
        for run in 0..<runs {
            let seed = base &+ UInt64(run)
            let outcome = try await AgreementHistory.run(seed: seed)
            guard let divergence = outcome.divergence else { continue }
            firstReport = firstReport ?? outcome.report
            guard survey else { break }
            broken["\(divergence.check)", default: []].append(seed)
        }
        if survey {
            let lines = broken.sorted { $0.value.count > $1.value.count }.map { "\($0.value.count)× \($0.key) (e.g. seed \($0.value[0]))" }
            print("agreement survey over \(runs) histories from seed \(base): \(broken.values.reduce(0) { $0 + $1.count }) broke\n" + lines.joined(separator: "\n"))
        }
        if let firstReport { Issue.record(Comment(rawValue: firstReport)) }
    }

    @Test("histories move records every way, refuse, bootstrap, compact and jump clocks")
    func historiesAreRich() async throws {
        // Given: a batch of histories from fixed seeds, all kinds of steps allowed.
        var stats = HistoryStats()
        for seed in UInt64(1)...30 {
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
