import Foundation
import Histogram
import SyncModel
import SyncStore
import CountyWork

/// The station's own writes into its SQLite replica file (WAL, synchronous=NORMAL):
/// batched (one `writeLocal` of 10,000 edits) and one edit at a time.
struct StationBenchmark {
    let options: BenchOptions
    let tree: CountyTree

    func run(into book: inout FigureBook) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-bench-station-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ReplicaStore.open(path: directory.appendingPathComponent("station.db").path, schema: try CountyWorkSchema.load())
        let township = tree.townships[0]
        let units = tree.recordUnits(of: township)
        var generator = CountyGenerator(tree: tree)

        // Batched: 2,000 new members (10,000 field edits) per writeLocal, several times.
        let batches = options.quick ? 3 : 10
        var written = 0
        let began = ContinuousClock.now
        for batch in 0..<batches {
            var edits: [LocalEdit] = []
            for index in 0..<2_000 {
                let unit = units[index % units.count]
                edits += generator.member("m-\(batch)-\(index)", unit: unit)
            }
            written += try store.writeLocal(edits).count
        }
        let seconds = (ContinuousClock.now - began).seconds
        book.add("station.batchedWritesPerSecond", "Station local writes, batched (10,000 edits per writeLocal)", unit: "edits/s",
                 value: Double(written) / seconds, detail: "\(written) member field edits into a replica file")

        // One edit per writeLocal (a clerk correcting one field), each its own transaction.
        var histogram = Histogram<UInt64>(highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: .three)
        let singles = options.quick ? 500 : 3_000
        for index in 0..<singles {
            let unit = units[index % units.count]
            let edit = LocalEdit(
                key: FieldKey(type: "member", id: "m-0-\(index % 2_000)", field: "category"), scope: unit,
                value: .string(CountyGenerator.categories[index % 5]))
            let sent = ContinuousClock.now
            try store.writeLocal([edit])
            _ = histogram.record(UInt64((ContinuousClock.now - sent) / .nanoseconds(1_000)))
        }
        book.add("station.singleWriteP50", "Station single-write latency p50", unit: "µs", value: Double(histogram.valueAtPercentile(50)),
                 detail: "\(singles) one-field overwrites, one transaction each")
        book.add("station.singleWriteP99", "Station single-write latency p99", unit: "µs", value: Double(histogram.valueAtPercentile(99)),
                 detail: "\(singles) one-field overwrites, one transaction each")
    }
}
