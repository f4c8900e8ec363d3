import SyncModel
import Testing
import TributaryTestSupport

/// The merge is a pure function of the set of changes: any order, any duplicates, any batch
/// split, any partition healed later gives byte-identical state and the same conflicts.
@Suite("Convergence properties")
struct ConvergencePropertyTests {
    @Test("random histories converge whatever the delivery")
    func randomHistoriesConverge() {
        let runs = PropertySettings.runs(default: 300)
        let base = PropertySettings.baseSeed()
        for run in 0..<runs {
            let seed = base &+ UInt64(run)
            guard checkHistory(seed: seed) else {
                Issue.record("diverged at seed \(seed); \(PropertySettings.replayHint(seed: seed))")
                return
            }
        }
    }

    /// Builds one history and delivers it five ways; `false` if any two disagree.
    private func checkHistory(seed: UInt64) -> Bool {
        var random = SeededRandom(seed: seed)
        var generator = HistoryGenerator(seed: seed)
        let changes = generator.generate(
            siteCount: Int.random(in: 2...8, using: &random), steps: Int.random(in: 20...160, using: &random))
        let schema = generator.schema

        // Given: the reference delivery, in the order written.
        var reference = MemoryReplica(schema: schema)
        let referenceReport = reference.apply(changes, context: TestSchemas.lateWall)
        let expectedDump = reference.canonicalDump()
        let expectedConflicts = reference.conflicts
        let expectedRefused = Set(referenceReport.refused.map(\.origin))

        // When: three shuffled deliveries with duplicates, one in random batches, and one
        // partitioned (two halves apart, then each learns the other's half).
        var deliveries: [MemoryReplica] = []
        for _ in 0..<3 {
            var replica = MemoryReplica(schema: schema)
            let report = replica.apply(changes.deliveredShuffled(using: &random), context: TestSchemas.lateWall)
            guard Set(report.refused.map(\.origin)) == expectedRefused else { return false }
            deliveries.append(replica)
        }
        var batched = MemoryReplica(schema: schema)
        for batch in changes.deliveredShuffled(using: &random).randomBatches(using: &random) {
            batched.apply(batch, context: TestSchemas.lateWall)
        }
        deliveries.append(batched)
        let cut = Int.random(in: 0...changes.count, using: &random)
        let shuffled = changes.shuffled(using: &random)
        var left = MemoryReplica(schema: schema)
        var right = MemoryReplica(schema: schema)
        left.apply(shuffled[..<cut], context: TestSchemas.lateWall)
        right.apply(shuffled[cut...], context: TestSchemas.lateWall)
        left.apply(shuffled[cut...].reversed(), context: TestSchemas.lateWall)
        right.apply(shuffled[..<cut].shuffled(using: &random), context: TestSchemas.lateWall)
        deliveries += [left, right]

        // Then: every replica holds the same bytes and the same conflicts.
        for replica in deliveries {
            guard replica.canonicalDump() == expectedDump, replica.conflicts == expectedConflicts else { return false }
        }
        return true
    }

    @Test("histories exercise every policy, conflicts, deletes and refusals")
    func historiesAreRich() {
        // Given: a batch of histories from a fixed seed.
        var sawConflict = false, sawDeleteEdit = false, sawRefusal = false, sawSet = false, sawForward = false
        for seed in UInt64(1)...60 {
            var generator = HistoryGenerator(seed: seed)
            let changes = generator.generate(siteCount: 4, steps: 120)
            var replica = MemoryReplica(schema: generator.schema)
            // When: applied.
            let report = replica.apply(changes, context: TestSchemas.lateWall)
            sawRefusal = sawRefusal || !report.refused.isEmpty
            sawConflict = sawConflict || replica.conflicts.contains { $0.kind == .concurrent }
            sawDeleteEdit = sawDeleteEdit || replica.conflicts.contains { $0.kind == .deleteEdit }
            sawSet = sawSet || changes.contains { $0.element != nil }
            sawForward = sawForward || changes.contains { $0.field == "state" }
        }
        // Then: the generator is not trivially converging: it makes real conflicts.
        #expect(sawConflict && sawDeleteEdit && sawRefusal && sawSet && sawForward)
    }
}
