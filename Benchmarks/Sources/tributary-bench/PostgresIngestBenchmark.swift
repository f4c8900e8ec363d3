import Foundation
import SyncModel
import SyncServer

/// Hub ingest end to end on PostgreSQL with one and with three `tributary-hub serve`
/// processes on one database, beside the same ingest into an SQLite file in the same run:
/// 20 township stations push their county year (batches of 5,000, gzip) spread round-robin
/// over the processes. Needs `--postgres URL`, a database on a server the benchmark may
/// create databases on (`CREATE DATABASE` through `psql`).
struct PostgresIngestBenchmark {
    let options: BenchOptions
    let tree: CountyTree
    /// A database URL of the server (libpq URI form; `?host=DIR` for a unix socket).
    let server: String

    func run(into book: inout FigureBook) async throws {
        for (label, processes) in [("sqlite", 1), ("postgres", 1), ("postgres", 3)] {
            try await ingest(label: label, processes: processes, into: &book)
        }
    }

    private func ingest(label: String, processes: Int, into book: inout FigureBook) async throws {
        let setup = try HubSetup(label: "pg-ingest")
        defer { setup.remove() }
        let year = CountyYear(
            tree: tree, sizes: options.sizes, stations: options.stations, schema: setup.schema, startMillis: HubSetup.nowMillis - 3 * 86_400_000)
        var loads: [[(data: Data, lastSeq: UInt64)]] = []
        var total = 0
        for (_, changes) in year.stations {
            loads.append(try CountyYear.batches(changes, size: options.batch).map { batch in
                total += batch.count
                return (try Gzip.compress(Data(WireJSON.encode(PushRequest(changes: batch)))), batch.last!.seq)
            })
        }
        var stations: [(name: String, org: String)] = [("registry", tree.root)]
        stations += year.stations.map { ("station-\($0.township)", $0.township) }
        let database: String
        let registered: [(station: HubStation, token: String)]
        if label == "sqlite" {
            database = setup.dbPath
            registered = try await setup.prepare(tree: tree, stations: stations, prefill: year.register)
        } else {
            database = try Self.createDatabase(on: server)
            let store = try await PostgresHubStore.open(try PostgresLocation(url: database), schema: setup.schema)
            registered = try await setup.prepare(store: store, tree: tree, stations: stations, prefill: year.register)
            await store.close()
        }
        var hubs: [HubProcess] = []
        defer { for hub in hubs { hub.stop() } }
        for _ in 0..<processes { hubs.append(try HubProcess(binary: options.hubBinary, dbPath: database)) }
        let clients = registered.dropFirst().enumerated().map { index, station in
            HubClient(hub: hubs[index % hubs.count].url, token: station.token, schemaTag: setup.schemaTag)
        }
        let cpuBefore = hubs.map(\.cpuSeconds).reduce(0, +)
        let postgresBefore = label == "sqlite" ? 0 : Self.postgresCPUSeconds()
        let began = ContinuousClock.now
        let refused = try await withThrowingTaskGroup(of: Int.self) { group in
            for (client, load) in zip(clients, loads) {
                group.addTask {
                    var refused = 0
                    for body in load {
                        let response = try await client.push(body: body.data, gzipped: true)
                        guard response.acked == body.lastSeq else { throw BenchError("push acked \(response.acked), expected \(body.lastSeq)") }
                        refused += response.refused.count
                    }
                    return refused
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = (ContinuousClock.now - began).seconds
        let hubCPU = hubs.map(\.cpuSeconds).reduce(0, +) - cpuBefore
        let postgresCPU = label == "sqlite" ? 0 : Self.postgresCPUSeconds() - postgresBefore
        book.check("\(label) ×\(processes) ingest: no change refused", refused == 0)
        let name = label == "sqlite" ? "SQLite, one process" : "PostgreSQL, \(processes) process\(processes == 1 ? "" : "es")"
        book.add(
            "pgIngest.\(label)\(processes)", "Hub ingest end to end, \(name) (HTTP, gzip, 20 stations)", unit: "changes/s",
            value: Double(total) / seconds, target: label == "sqlite" ? nil : Figure.atLeast(50_000, aim: 100_000),
            detail: "\(total) changes into \(year.register.count) pre-filled live fields; hub CPU \(String(format: "%.1f", hubCPU)) s"
                + (label == "sqlite" ? "" : ", PostgreSQL server CPU \(String(format: "%.1f", postgresCPU)) s")
                + " in \(String(format: "%.1f", seconds)) s wall")
    }

    /// Creates a fresh database on the server of `url` and returns its URL.
    static func createDatabase(on url: String) throws -> String {
        let name = "bench_\(UUID().uuidString.prefix(8).lowercased())"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-qc", "CREATE DATABASE \(name)"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("psql could not create a database on \(url)") }
        let base = url.prefix { $0 != "?" }
        let query = url.dropFirst(base.count)
        guard let scheme = base.range(of: "://"), let slash = base.range(of: "/", options: .backwards, range: scheme.upperBound..<base.endIndex) else {
            throw BenchError("no database name in \(url)")
        }
        return base[..<slash.upperBound] + name + query
    }

    /// CPU seconds of every `postgres` process now running (the server's share of the machine).
    static func postgresCPUSeconds() -> Double {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where entry.allSatisfy(\.isNumber) {
            guard let text = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8), text.contains("(postgres)"),
                let close = text.lastIndex(of: ")")
            else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ")
            if fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) { total += (user + system) / ticks }
        }
        return total
    }
}
