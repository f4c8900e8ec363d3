import SyncModel
import SyncStore
import Testing
import TributaryTestSupport

/// The SQLite replica must agree, byte for byte, with the reference merge, whatever the
/// delivery order, duplicates and batch split.
@Suite("SQLite replica agrees with the reference merge")
struct StoreConvergenceTests {
    @Test("random histories give the reference dump in SQLite")
    func agreesWithReference() throws {
        let runs = max(1, PropertySettings.runs(default: 300) / 5)
        let base = PropertySettings.baseSeed()
        for run in 0..<runs {
            let seed = base &+ UInt64(run)
            var random = SeededRandom(seed: seed)
            var generator = HistoryGenerator(seed: seed)
            let changes = generator.generate(siteCount: Int.random(in: 2...6, using: &random), steps: 120)

            // Given: the reference state.
            var reference = MemoryReplica(schema: generator.schema)
            let referenceReport = reference.apply(changes, context: TestSchemas.lateWall)

            // When: the same changes reach a SQLite replica shuffled, duplicated, in batches.
            let store = try ReplicaStore.inMemory(schema: generator.schema)
            var report = ApplyReport()
            for batch in changes.deliveredShuffled(using: &random).randomBatches(using: &random, maxSize: 40) {
                report.append(try store.apply(batch, context: TestSchemas.lateWall))
            }

            // Then: same bytes, same conflicts, same refusals.
            let same = try store.dump() == reference.canonicalDump() && store.conflicts() == reference.conflicts
                && Set(report.refused.map(\.origin)) == Set(referenceReport.refused.map(\.origin))
            guard same else {
                Issue.record("SQLite diverged from the reference at seed \(seed); \(PropertySettings.replayHint(seed: seed))")
                return
            }
        }
    }
}
