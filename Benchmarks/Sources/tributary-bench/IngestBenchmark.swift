import Foundation
import Histogram
import Logging
import SyncClient
import SyncModel
import SyncStore

/// Hub ingest end to end, hub memory, wire size and pull, on one county year:
/// 20 township stations push their year (orders, time bank, activities, member corrections)
/// concurrently in batches of 5,000 over HTTP into a hub pre-filled with the county's member
/// register; then a new county-level station pulls the whole log. `deployment` says which
/// store and how many hub processes (stations spread round-robin over them); compared, it
/// reports only the figures the PostgreSQL comparison sets side by side.
struct IngestBenchmark {
    let options: BenchOptions
    let tree: CountyTree
    var deployment = HubDeployment.sqlite

    /// One station's pre-encoded push bodies.
    struct Load: Sendable {
        var bodies: [(data: Data, gzipped: Bool, lastSeq: UInt64, count: Int)]
    }

    func run(into book: inout FigureBook) async throws {
        let setup = try HubSetup(label: "ingest")
        defer { setup.remove() }
        let year = CountyYear(
            tree: tree, sizes: options.sizes, stations: options.stations, schema: setup.schema, startMillis: HubSetup.nowMillis - 3 * 86_400_000)

        // Each township station's year, encoded as its transport would send it.
        var loads: [Load] = []
        var plainBytes = 0
        var gzipBytes = 0
        var total = 0
        for (_, changes) in year.stations {
            var load = Load(bodies: [])
            for batch in CountyYear.batches(changes, size: options.batch) {
                let plain = Data(WireJSON.encode(PushRequest(changes: batch)))
                let gzipped = try Gzip.compress(plain)
                plainBytes += plain.count
                gzipBytes += gzipped.count
                total += batch.count
                load.bodies.append((gzipped, true, batch.last!.seq, batch.count))
            }
            loads.append(load)
        }
        print("  generated \(year.register.count) pre-fill and \(total) ingest changes from \(year.stations.count) stations")

        var stations: [(name: String, org: String)] = [("registry", tree.root), ("county-reader", tree.root)]
        stations += year.stations.map { ("station-\($0.township)", $0.township) }
        let (database, registeredStations) = try await deployment.prepare(setup, tree: tree, stations: stations, prefill: year.register)
        let hubs = try deployment.start(binary: options.hubBinary, database: database)
        defer { hubs.stop() }
        let baseRSS = hubs.peakRSSMB
        let profiler = options.perfOut.flatMap { Profiler(pid: hubs.hubs[0].pid, output: $0) }

        // Ingest: every station pushes its batches one after another, all stations at once.
        let clients = registeredStations.dropFirst(2).enumerated().map { index, station in
            HubClient(hub: hubs.url(for: index), token: station.token, schemaTag: setup.schemaTag)
        }
        let meter = hubs.meter()
        let loadCPUBefore = ProcessCPU.seconds
        let began = ContinuousClock.now
        let (histogram, refused) = try await withThrowingTaskGroup(of: (Histogram<UInt64>, Int).self) { group in
            for (client, load) in zip(clients, loads) {
                group.addTask {
                    var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
                    var refused = 0
                    for body in load.bodies {
                        let sent = ContinuousClock.now
                        let response = try await client.push(body: body.data, gzipped: body.gzipped)
                        _ = histogram.record(UInt64((ContinuousClock.now - sent) / .microseconds(1)))
                        guard response.acked == body.lastSeq else { throw BenchError("push acked \(response.acked), expected \(body.lastSeq)") }
                        refused += response.refused.count
                    }
                    return (histogram, refused)
                }
            }
            var merged = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
            var refused = 0
            for try await (histogram, count) in group {
                merged.add(histogram)
                refused += count
            }
            return (merged, refused)
        }
        let seconds = (ContinuousClock.now - began).seconds
        profiler?.stop()
        let cpu = meter.summary()
        let loadCPU = ProcessCPU.seconds - loadCPUBefore
        book.check(deployment.title("ingest: no change refused"), refused == 0)
        let detail =
            "\(total) changes from \(clients.count) stations, batches of \(options.batch), into \(year.register.count) pre-filled live fields; "
            + "load generator CPU \(String(format: "%.1f", loadCPU)) s, \(cpu)"
        let target = deployment.compared
            ? (deployment.isSQLite ? nil : Figure.atLeast(50_000, aim: 100_000)) : Figure.atLeast(100_000, aim: 200_000)
        book.add(deployment.key("ingest.changesPerSecond"), deployment.title("Hub ingest end to end (HTTP, gzip, 20 concurrent stations)"),
                 unit: "changes/s", value: Double(total) / seconds, target: target, detail: detail)
        if !deployment.compared {
            book.add("ingest.pushP50", "Push ack latency p50, 5k batch", unit: "ms", value: Double(histogram.valueAtPercentile(50)) / 1000, detail: detail)
        }
        book.add(deployment.key("ingest.pushP99"), deployment.title("Push ack latency p99, 5k batch, \(clients.count) concurrent stations"), unit: "ms",
                 value: Double(histogram.valueAtPercentile(99)) / 1000, target: deployment.compared ? nil : Figure.below(250, aim: 100),
                 detail: deployment.compared ? "" : detail)
        if deployment.compared {
            try await pull(hubs: hubs, setup: setup, token: registeredStations[1].token, expected: total + year.register.count, into: &book)
            return
        }
        book.add("memory.ingestPeakMB", "Hub peak RSS during the \(total / 1000)k-change ingest", unit: "MB", value: hubs.peakRSSMB,
                 target: Figure.below(200, aim: 100), detail: "VmHWM of the tributary-hub process (\(String(format: "%.0f", baseRSS)) MB at start)")
        book.add("wire.plainBytesPerChange", "Wire size per change, plain JSON (push)", unit: "B/change", value: Double(plainBytes) / Double(total),
                 detail: "PushRequest bodies of \(options.batch) changes")
        book.add("wire.gzipBytesPerChange", "Wire size per change, gzip (push)", unit: "B/change", value: Double(gzipBytes) / Double(total),
                 target: Figure.below(60, aim: 40), detail: "PushRequest bodies of \(options.batch) changes, gzip -6 (what the station sends)")

        try await pull(hubs: hubs, setup: setup, token: registeredStations[1].token, expected: total + year.register.count, into: &book)
    }

    /// A new county station pulls the whole log (from the last process): first on the wire
    /// only (decode), then into a replica.
    private func pull(hubs: HubGroup, setup: HubSetup, token: String, expected: Int, into book: inout FigureBook) async throws {
        let hub = hubs.hubs[hubs.hubs.count - 1]
        let client = HubClient(hub: hub.url, token: token, schemaTag: setup.schemaTag)
        var cursor: Int64 = 0
        var count = 0
        var bytes = 0
        var meter = hubs.meter()
        var began = ContinuousClock.now
        while true {
            let (page, size) = try await client.pull(cursor: cursor, limit: 20_000)
            count += page.changes.count
            bytes += size
            cursor = page.cursor
            if !page.more { break }
        }
        var seconds = (ContinuousClock.now - began).seconds
        book.check(deployment.title("pull: every change reached the new station"), count >= expected)
        book.add(deployment.key("pull.wireChangesPerSecond"), deployment.title("Pull, hub → station on the wire (decoded, not applied)"), unit: "changes/s",
                 value: Double(count) / seconds, detail: "\(count) changes, pages of 20,000, plain JSON; \(meter.summary())")
        if !deployment.compared { try await wireSizes(client: client, count: count, bytes: bytes, into: &book) }

        // Into a station replica: the engine pulls from cursor 0 (no snapshot) and applies.
        let path = setup.directory.appendingPathComponent("reader.db").path
        let station = try Station.create(at: path, org: tree.root, hub: hub.url, token: token)
        try station.store.write { db in try Meta.pullCursor.write("0", db) }
        var configuration = SyncEngine.Configuration()
        configuration.pullLimit = 20_000
        let engine = try station.syncEngine(configuration: configuration, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        meter = hubs.meter()
        began = ContinuousClock.now
        let summary = try await engine.sync()
        seconds = (ContinuousClock.now - began).seconds
        book.check(deployment.title("pull: the replica applied every change"), summary.pulled >= expected)
        book.add(deployment.key("pull.changesPerSecond"), deployment.title("Pull into a new station's replica (HTTP + apply, SyncEngine)"), unit: "changes/s",
                 value: Double(summary.pulled) / seconds, target: deployment.compared ? nil : Figure.atLeast(500_000, aim: 1_000_000),
                 detail: "\(summary.pulled) changes into a new county-level station, pages of 20,000; \(meter.summary())")
        let digest = try await client.digest()
        book.check(deployment.title("pull: the new station's digest equals the hub's"), try station.store.digest() == digest.digest)
    }

    /// Wire sizes of the pull (the SQLite suite only).
    private func wireSizes(client: HubClient, count: Int, bytes: Int, into book: inout FigureBook) async throws {
        book.add("wire.pullPlainBytesPerChange", "Wire size per change, plain JSON (pull)", unit: "B/change", value: Double(bytes) / Double(count))
        // The hub gzips answers at level 1 (its CPU is shared by every station); what that costs on the wire:
        let page = try await client.pullBody(cursor: 0, limit: 20_000)
        let changes = try page.withUnsafeBytes { try WireJSON.decode(PullResponse.self, from: $0) }.changes.count
        for level in [1, 6] {
            book.add("wire.pullGzip\(level)BytesPerChange", "Wire size per change, gzip level \(level) (pull)", unit: "B/change",
                     value: Double(try Gzip.compress(page, level: level).count) / Double(max(changes, 1)),
                     target: level == 1 ? Figure.below(60, aim: 40) : nil,
                     detail: "the first pull page (\(changes) changes)\(level == 1 ? "; level 1 is what the hub sends" : "")")
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
