import Foundation
import SyncModel
import SyncServer
import SyncStore

/// The hub's storage alone: the county year's pushes applied in-process through
/// `SQLiteHubStore.push` (no HTTP, no JSON), first one push at a time, then by all
/// stations at once. The gap to the end-to-end ingest figure is what HTTP, gzip and JSON cost.
struct StoreIngestBenchmark {
    let options: BenchOptions
    let tree: CountyTree

    func run(into book: inout FigureBook) async throws {
        for concurrent in [false, true] {
            let setup = try HubSetup(label: "store")
            defer { setup.remove() }
            let year = CountyYear(
                tree: tree, sizes: options.sizes, stations: options.stations, schema: setup.schema,
                startMillis: HubSetup.nowMillis - 3 * 86_400_000)
            var names: [(name: String, org: String)] = [("registry", tree.root)]
            names += year.stations.map { ("station-\($0.township)", $0.township) }
            let registered = try await setup.prepare(tree: tree, stations: names, prefill: year.register)
            let store = try SQLiteHubStore.open(path: setup.dbPath, schema: setup.schema)
            let loads = zip(registered.dropFirst(), year.stations).map { ($0.station, CountyYear.batches($1.changes, size: options.batch)) }
            let context = ValidationContext(wallMillis: HubSetup.nowMillis)

            let cpuBefore = ProcessCPU.seconds
            let began = ContinuousClock.now
            let refusals: [PushRefusal]
            if concurrent {
                refusals = try await withThrowingTaskGroup(of: [PushRefusal].self) { group in
                    for (station, batches) in loads {
                        group.addTask {
                            var refused: [PushRefusal] = []
                            for batch in batches { refused += try await store.push(batch, from: station, context: context).refused }
                            return refused
                        }
                    }
                    return try await group.reduce([], +)
                }
            } else {
                var all: [PushRefusal] = []
                let rounds = loads.map(\.1.count).max() ?? 0
                for round in 0..<rounds {
                    for (station, batches) in loads where round < batches.count {
                        all += try await store.push(batches[round], from: station, context: context).refused
                    }
                }
                refusals = all
            }
            let refused = refusals.count
            if let first = refusals.first {
                print("  \(refused) changes refused, e.g. \(first.code.rawValue): \(first.message)")
            }
            let seconds = (ContinuousClock.now - began).seconds
            let cpu = ProcessCPU.seconds - cpuBefore
            let total = year.stationChanges
            book.check("store ingest: no change refused", refused == 0)
            let detail = "\(total) changes, batches of \(options.batch), into \(year.register.count) pre-filled live fields; CPU \(String(format: "%.1f", cpu)) s in \(String(format: "%.1f", seconds)) s wall"
            if concurrent {
                book.add("store.ingestConcurrent", "Hub store ingest in-process, \(loads.count) stations pushing at once (no HTTP)", unit: "changes/s",
                         value: Double(total) / seconds, detail: detail)
            } else {
                book.add("store.ingestSerial", "Hub store ingest in-process, one push at a time (no HTTP)", unit: "changes/s",
                         value: Double(total) / seconds, detail: detail)
            }
        }
    }

    /// A station's replica alone: the county year as a new county-level station receives it
    /// from the hub (the register, then the townships' changes interleaved push by push),
    /// applied in pages of 20,000 through `ReplicaStore.apply` — no HTTP, no JSON. The gap to
    /// the pull-into-replica figure is what the wire costs.
    func replicaApply(into book: inout FigureBook) throws {
        let setup = try HubSetup(label: "replica")
        defer { setup.remove() }
        let year = CountyYear(
            tree: tree, sizes: options.sizes, stations: options.stations, schema: setup.schema,
            startMillis: HubSetup.nowMillis - 3 * 86_400_000)
        var log = year.register
        let batches = year.stations.map { CountyYear.batches($0.changes, size: options.batch) }
        for round in 0..<(batches.map(\.count).max() ?? 0) {
            for station in batches where round < station.count { log += station[round] }
        }
        let store = try ReplicaStore.open(path: setup.directory.appendingPathComponent("station.db").path, schema: setup.schema)
        let context = ValidationContext(wallMillis: HubSetup.nowMillis)
        let cpuBefore = ProcessCPU.seconds
        let began = ContinuousClock.now
        var applied = 0
        for page in CountyYear.batches(log, size: 20_000) {
            applied += try store.apply(page, context: context).applied.count
        }
        let seconds = (ContinuousClock.now - began).seconds
        let cpu = ProcessCPU.seconds - cpuBefore
        book.check("replica apply: every change applied", applied == log.count)
        book.add("store.replicaApply", "Station replica apply in-process, pages of 20,000 (no HTTP)", unit: "changes/s",
                 value: Double(log.count) / seconds,
                 detail: "\(log.count) changes into a new replica; CPU \(String(format: "%.1f", cpu)) s in \(String(format: "%.1f", seconds)) s wall")
    }
}

/// The CPU time this process has used so far.
enum ProcessCPU {
    static var seconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}
