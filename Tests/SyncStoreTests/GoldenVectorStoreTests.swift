import SyncModel
import SyncStore
import Testing
import TributaryTestSupport

/// Runs every golden vector of Protocol/vectors against the SQLite replica: it must reach
/// the same canonical dump and refusals as the vector says, whatever the delivery order
/// and however the changes are cut into batches.
@Suite("Golden vectors: SQLite replica")
struct GoldenVectorStoreTests {
    @Test("each listed order, one change per apply, reaches the expected state", arguments: GoldenVectors.names)
    func eachOrder(_ name: String) throws {
        // Given the vector
        let vector = try GoldenVectors.load(name)
        for (number, order) in vector.orders.enumerated() {
            // When its changes are applied one per transaction in this order to a fresh store
            let store = try ReplicaStore.inMemory(schema: vector.schema, wallClock: .fixed(vector.now))
            var refused: [Refusal] = []
            for index in order {
                refused += try store.apply([vector.changes[index]], context: vector.context).refused
            }
            // Then the store's dump and the refusals are the expected ones
            let problems = vector.mismatches(dump: try store.dump(), refused: refused)
            if !problems.isEmpty { Issue.record("\(name), order \(number) \(order):\n\(problems.joined(separator: "\n"))") }
        }
    }

    @Test("random batch splits of each order reach the expected state", arguments: GoldenVectors.names)
    func randomBatches(_ name: String) throws {
        // Given the vector and a seed derived from its name (stable from run to run)
        let vector = try GoldenVectors.load(name)
        let seed = name.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        var random = SeededRandom(seed: seed)
        for order in vector.orders {
            for _ in 0..<3 {
                // When the order is cut into random consecutive batches, each applied in one transaction
                let store = try ReplicaStore.inMemory(schema: vector.schema, wallClock: .fixed(vector.now))
                var refused: [Refusal] = []
                var batches: [[Int]] = []
                var rest = order[...]
                while !rest.isEmpty {
                    let size = Int.random(in: 1...max(1, rest.count), using: &random)
                    batches.append(Array(rest.prefix(size)))
                    rest = rest.dropFirst(size)
                }
                for batch in batches {
                    refused += try store.apply(batch.map { vector.changes[$0] }, context: vector.context).refused
                }
                // Then the dump and refusals are the expected ones
                let problems = vector.mismatches(dump: try store.dump(), refused: refused)
                if !problems.isEmpty { Issue.record("\(name), seed \(seed), batches \(batches):\n\(problems.joined(separator: "\n"))") }
            }
        }
    }
}
