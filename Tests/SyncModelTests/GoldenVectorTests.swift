import SyncModel
import Testing
import TributaryTestSupport

/// Runs every golden vector of Protocol/vectors against the reference merge
/// (``MemoryReplica``): each listed delivery order, one change at a time, and all changes
/// in one batch, must give exactly the vector's canonical dump and refusals.
@Suite("Golden vectors: reference merge")
struct GoldenVectorTests {
    @Test("the vectors are there, and each lists forward and reversed delivery")
    func vectorsArePresent() throws {
        // Given the vectors directory
        let names = GoldenVectors.names
        // Then there are at least 30 vectors, each listing the forward and reversed orders
        #expect(names.count >= 30, "found \(names.count) vectors in \(GoldenVectors.directory)")
        for name in names {
            let vector = try GoldenVectors.load(name)
            let forward = Array(vector.changes.indices)
            #expect(vector.orders.contains(forward), "\(name) lacks the forward order")
            #expect(vector.orders.contains(forward.reversed()), "\(name) lacks the reversed order")
        }
    }

    @Test("each listed order, one change at a time, reaches the expected state", arguments: GoldenVectors.names)
    func eachOrder(_ name: String) throws {
        // Given the vector
        let vector = try GoldenVectors.load(name)
        for (number, order) in vector.orders.enumerated() {
            // When its changes are applied one by one in this order to a fresh replica
            var replica = MemoryReplica(schema: vector.schema)
            var refused: [Refusal] = []
            for index in order {
                refused += replica.apply([vector.changes[index]], context: vector.context).refused
            }
            // Then the canonical dump and the refusals are the expected ones
            let problems = vector.mismatches(dump: replica.canonicalDump(), refused: refused)
            if !problems.isEmpty { Issue.record("\(name), order \(number) \(order):\n\(problems.joined(separator: "\n"))") }
        }
    }

    @Test("all changes in one batch reach the expected state", arguments: GoldenVectors.names)
    func oneBatch(_ name: String) throws {
        // Given the vector
        let vector = try GoldenVectors.load(name)
        for order in [Array(vector.changes.indices)] + vector.orders {
            // When every change is applied in a single batch
            var replica = MemoryReplica(schema: vector.schema)
            let report = replica.apply(order.map { vector.changes[$0] }, context: vector.context)
            // Then the result is the same as one at a time
            let problems = vector.mismatches(dump: replica.canonicalDump(), refused: report.refused)
            if !problems.isEmpty { Issue.record("\(name), batch \(order):\n\(problems.joined(separator: "\n"))") }
        }
    }
}
