import Foundation
import Histogram
import Logging
import SyncClient
import SyncModel
import SyncStore

/// Hub ingest end to end, hub memory, wire size and pull, on one county year:
/// 20 township stations push their year (orders, time bank, activities, member corrections)
/// concurrently in batches of 5,000 over HTTP into a hub pre-filled with the county's member
/// register; then a new county-level station pulls the whole log.
struct IngestBenchmark {
    let options: BenchOptions
    let tree: CountyTree

    /// One station's pre-encoded push bodies.
    struct Load: Sendable {
        var bodies: [(data: Data, gzipped: Bool, lastSeq: UInt64, count: Int)]
    }

    func run(into book: inout FigureBook) async throws {
        let setup = try HubSetup(label: "ingest")
        defer { setup.remove() }
        let sizes = options.sizes
        var generator = CountyGenerator(tree: tree)
        let start = HubSetup.nowMillis - 3 * 86_400_000

        // The county register: the hub's ~100k live fields.
        let register = generator.register(count: sizes.members)
        var registry = SiteWriter(site: .random(), schema: setup.schema, startMillis: start)
        for member in register { registry.write(member.edits) }
        let registered = registry.versions
        var byTownship: [String: [(id: String, unit: String)]] = [:]
        let townshipOf = Dictionary(tree.townships.flatMap { t in tree.recordUnits(of: t).map { ($0, t) } }, uniquingKeysWith: { a, _ in a })
        for member in register { byTownship[townshipOf[member.unit] ?? tree.root, default: []].append((member.id, member.unit)) }

        // Each township station's year, stamped and encoded as its transport would send it.
        let townships = Array(tree.townships.prefix(options.stations))
        var loads: [Load] = []
        var plainBytes = 0
        var gzipBytes = 0
        var total = 0
        for township in townships {
            let members = byTownship[township] ?? []
            let ids = Set(members.map(\.id))
            var writer = SiteWriter(
                site: .random(), schema: setup.schema, startMillis: start + 86_400_000,
                known: registered.filter { ids.contains($0.key.id) })
            for save in generator.township(township, share: 1 / Double(townships.count), sizes: sizes, members: members) {
                writer.write(save)
            }
            var load = Load(bodies: [])
            for from in stride(from: 0, to: writer.changes.count, by: options.batch) {
                let batch = Array(writer.changes[from..<min(from + options.batch, writer.changes.count)])
                let plain = try JSONEncoder().encode(PushRequest(changes: batch))
                let gzipped = try Gzip.compress(plain)
                plainBytes += plain.count
                gzipBytes += gzipped.count
                total += batch.count
                load.bodies.append((gzipped, true, batch.last!.seq, batch.count))
            }
            loads.append(load)
        }
        print("  generated \(registry.changes.count) pre-fill and \(total) ingest changes from \(townships.count) stations")

        var stations: [(name: String, org: String)] = [("registry", tree.root), ("county-reader", tree.root)]
        stations += townships.map { ("station-\($0)", $0) }
        let registeredStations = try await setup.prepare(tree: tree, stations: stations, prefill: registry.changes)
        let hub = try HubProcess(binary: options.hubBinary, dbPath: setup.dbPath)
        defer { hub.stop() }
        let baseRSS = hub.peakRSSMB
        let profiler = options.perfOut.flatMap { Profiler(pid: hub.pid, output: $0) }

        // Ingest: every station pushes its batches one after another, all stations at once.
        let clients = registeredStations.dropFirst(2).map { HubClient(hub: hub.url, token: $0.token, schemaTag: setup.schemaTag) }
        let cpuBefore = hub.cpuSeconds
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
        let cpu = hub.cpuSeconds - cpuBefore
        book.check("ingest: no change refused", refused == 0)
        let detail = "\(total) changes from \(clients.count) stations, batches of \(options.batch), into \(registry.changes.count) pre-filled live fields; hub CPU \(String(format: "%.1f", cpu)) s in \(String(format: "%.1f", seconds)) s wall"
        book.add("ingest.changesPerSecond", "Hub ingest end to end (HTTP, gzip, 20 concurrent stations)", unit: "changes/s",
                 value: Double(total) / seconds, target: Figure.atLeast(100_000, aim: 200_000), detail: detail)
        book.add("ingest.pushP50", "Push ack latency p50, 5k batch", unit: "ms", value: Double(histogram.valueAtPercentile(50)) / 1000, detail: detail)
        book.add("ingest.pushP99", "Push ack latency p99, 5k batch, \(clients.count) concurrent stations", unit: "ms",
                 value: Double(histogram.valueAtPercentile(99)) / 1000, target: Figure.below(250, aim: 100), detail: detail)
        book.add("memory.ingestPeakMB", "Hub peak RSS during the \(total / 1000)k-change ingest", unit: "MB", value: hub.peakRSSMB,
                 target: Figure.below(200, aim: 100), detail: "VmHWM of the tributary-hub process (\(String(format: "%.0f", baseRSS)) MB at start)")
        book.add("wire.plainBytesPerChange", "Wire size per change, plain JSON (push)", unit: "B/change", value: Double(plainBytes) / Double(total),
                 detail: "PushRequest bodies of \(options.batch) changes")
        book.add("wire.gzipBytesPerChange", "Wire size per change, gzip (push)", unit: "B/change", value: Double(gzipBytes) / Double(total),
                 target: Figure.below(60, aim: 40), detail: "PushRequest bodies of \(options.batch) changes, gzip -6 (what the station sends)")

        try await pull(hub: hub, setup: setup, token: registeredStations[1].token, expected: total + registry.changes.count, into: &book)
    }

    /// A new county station pulls the whole log: first on the wire only (decode), then into a replica.
    private func pull(hub: HubProcess, setup: HubSetup, token: String, expected: Int, into book: inout FigureBook) async throws {
        let client = HubClient(hub: hub.url, token: token, schemaTag: setup.schemaTag)
        var cursor: Int64 = 0
        var count = 0
        var bytes = 0
        var began = ContinuousClock.now
        while true {
            let (page, size) = try await client.pull(cursor: cursor, limit: 20_000, gzip: false)
            count += page.changes.count
            bytes += size
            cursor = page.cursor
            if !page.more { break }
        }
        var seconds = (ContinuousClock.now - began).seconds
        book.check("pull: every change reached the new station", count >= expected)
        book.add("pull.wireChangesPerSecond", "Pull, hub → station on the wire (decoded, not applied)", unit: "changes/s",
                 value: Double(count) / seconds, detail: "\(count) changes, pages of 20,000, plain JSON")
        book.add("wire.pullPlainBytesPerChange", "Wire size per change, plain JSON (pull)", unit: "B/change", value: Double(bytes) / Double(count))

        // Into a station replica: the engine pulls from cursor 0 (no snapshot) and applies.
        let path = setup.directory.appendingPathComponent("reader.db").path
        let station = try Station.create(at: path, org: tree.root, hub: hub.url, token: token)
        try station.store.write { db in try Meta.pullCursor.write("0", db) }
        var configuration = SyncEngine.Configuration()
        configuration.pullLimit = 20_000
        let engine = try station.syncEngine(configuration: configuration, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        began = ContinuousClock.now
        let summary = try await engine.sync()
        seconds = (ContinuousClock.now - began).seconds
        book.check("pull: the replica applied every change", summary.pulled >= expected)
        book.add("pull.changesPerSecond", "Pull into a new station's replica (HTTP + apply, SyncEngine)", unit: "changes/s",
                 value: Double(summary.pulled) / seconds, target: Figure.atLeast(500_000, aim: 1_000_000),
                 detail: "\(summary.pulled) changes into a new county-level station, pages of 20,000")
        let digest = try await client.digest()
        book.check("pull: the new station's digest equals the hub's", try station.store.digest() == digest.digest)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
