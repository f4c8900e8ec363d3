import SyncModel
import Testing
import TributaryTestSupport

/// Compatible successors keep what SPEC §9 promises, for random chains of schema versions (each
/// step a random edit that the compatibility rule accepted) and random changes over them.
@Suite("Schema chain properties")
struct SchemaChainPropertyTests {
    @Test("validity is monotonic along a chain: valid under N means valid under N+1, with the same canonical change")
    func validityIsMonotonic() {
        let runs = PropertySettings.runs(default: 200)
        let base = PropertySettings.baseSeed()
        for run in 0..<runs {
            let seed = base &+ UInt64(run)
            if let failure = checkMonotonic(seed: seed) {
                Issue.record("\(failure) at seed \(seed); \(PropertySettings.replayHint(seed: seed))")
                return
            }
        }
    }

    private func checkMonotonic(seed: UInt64) -> String? {
        // Given: a random chain and random changes over it.
        var generator = SchemaChainGenerator(seed: seed)
        let chain = generator.chain(length: Int.random(in: 2...7, using: &generator.random)).schemas
        let changes = generator.changes(over: chain, count: 150)
        // When: each change is validated under every version.
        for change in changes {
            for step in 0..<(chain.count - 1) {
                guard let valid = try? chain[step].validate(change, in: TestSchemas.lateWall) else { continue }
                // Then: what version N accepts, version N+1 accepts the same way.
                guard let next = try? chain[step + 1].validate(change, in: TestSchemas.lateWall) else {
                    return "\(change.type).\(change.field)=\(change.value) valid under v\(step + 1), refused under v\(step + 2): "
                        + chain[step + 1].differences(from: chain[step]).map(\.sentence).joined(separator: "; ")
                }
                guard next == valid else {
                    return "\(change.type).\(change.field)=\(change.value) has another canonical form under v\(step + 2)"
                }
            }
        }
        return nil
    }

    @Test("replicas on different versions of a chain converge once they hold the same changes")
    func replicasAcrossVersionsConverge() {
        let runs = PropertySettings.runs(default: 150)
        let base = PropertySettings.baseSeed()
        for run in 0..<runs {
            let seed = base &+ UInt64(run)
            if let failure = checkConvergence(seed: seed) {
                Issue.record("\(failure) at seed \(seed); \(PropertySettings.replayHint(seed: seed))")
                return
            }
        }
    }

    private func checkConvergence(seed: UInt64) -> String? {
        var generator = SchemaChainGenerator(seed: seed)
        let chain = generator.chain(length: Int.random(in: 2...6, using: &generator.random)).schemas
        let changes = generator.changes(over: chain, count: 150)
        var random = SeededRandom(seed: seed ^ 0x5eed)

        // Given: a replica on the latest version that received everything.
        var reference = MemoryReplica(schema: chain[chain.count - 1])
        reference.apply(changes, context: TestSchemas.lateWall)

        // When: one replica starts on each version, receives random parts of the changes (refusing
        // what its version does not know), takes each later version in turn with more parts
        // between, and at the latest version receives everything, shuffled and with duplicates.
        for start in 0..<chain.count {
            var replica = MemoryReplica(schema: chain[start])
            for step in start..<chain.count {
                if step > start {
                    do {
                        try replica.adopt(chain[step])
                    } catch {
                        return "v\(step + 1) was not taken as a successor of v\(step): \(error.message)"
                    }
                }
                let part = changes.filter { _ in random.chance(0.4) }
                replica.apply(part.deliveredShuffled(using: &random), context: TestSchemas.lateWall)
            }
            replica.apply(changes.deliveredShuffled(using: &random), context: TestSchemas.lateWall)
            // Then: it holds what the reference holds, byte for byte, with the same conflicts.
            guard replica.canonicalDump() == reference.canonicalDump(), replica.conflicts == reference.conflicts else {
                return "a replica started on v\(start + 1) of \(chain.count) ended with another state"
            }
        }
        return nil
    }

    @Test("the generator makes rich chains: several versions, refused breaking edits, changes whose validity depends on the version")
    func chainsAreRich() {
        // Given: chains from fixed seeds.
        var refused = 0, lengths = 0, versionDependent = 0, validEverywhere = 0
        for seed in UInt64(1)...40 {
            var generator = SchemaChainGenerator(seed: seed)
            let (chain, refusedEdits) = generator.chain(length: 6)
            refused += refusedEdits
            lengths += chain.count
            // When: the changes are validated under the first and the last version.
            for change in generator.changes(over: chain, count: 100) {
                let first = (try? chain[0].validate(change, in: TestSchemas.lateWall)) != nil
                let last = (try? chain[chain.count - 1].validate(change, in: TestSchemas.lateWall)) != nil
                if first != last { versionDependent += 1 }
                if first && last { validEverywhere += 1 }
            }
        }
        // Then: chains reach their length, the rule refused breaking edits on the way, and the
        // changes exercise both what every version accepts and what only later ones do.
        #expect(lengths == 40 * 6)
        #expect(refused > 40)
        #expect(versionDependent > 100)
        #expect(validEverywhere > 1_000)
    }

    @Test("every additive edit the generator makes is a compatible successor")
    func additiveEditsAreAccepted() {
        for seed in UInt64(1)...300 {
            // Given: a random schema and an additive edit of it.
            var generator = SchemaChainGenerator(seed: seed)
            let schema = generator.baseSchema()
            guard let edited = generator.additiveEdit(of: schema) else { continue }
            // Then: the rule accepts it.
            let breaking = edited.differences(from: schema).filter { $0.impact == .breaking }
            #expect(breaking.isEmpty, "seed \(seed): \(breaking.map(\.sentence))")
        }
    }
}
