import Foundation
import SyncModel
import SyncServer

/// Where the hub under test keeps its state and how many `tributary-hub serve` processes
/// serve it: one process on an SQLite file (the default suite), or one or more processes on
/// one PostgreSQL database. The ingest, pull and convergence benchmarks take one, so that the
/// PostgreSQL comparison runs the same code as the SQLite suite.
struct HubDeployment: Sendable {
    /// The SQLite file, or a server to create a fresh database on.
    enum Store: Sendable {
        case sqlite
        case postgres(PostgresServer)
    }

    var store: Store
    var processes: Int
    /// Whether figures carry the deployment in their key and title (the PostgreSQL comparison),
    /// rather than the SQLite suite's plain keys.
    var compared = false

    /// One process on an SQLite file, with the SQLite suite's figure keys.
    static let sqlite = HubDeployment(store: .sqlite, processes: 1)

    var isSQLite: Bool {
        if case .sqlite = store { return true }
        return false
    }

    /// `sqlite1`, `postgres1`, `postgres3`: the suffix of a compared figure's key.
    var tag: String { (isSQLite ? "sqlite" : "postgres") + String(processes) }

    /// `SQLite, one process`, `PostgreSQL, 3 processes`.
    var name: String {
        (isSQLite ? "SQLite" : "PostgreSQL") + ", " + (processes == 1 ? "1 process" : "\(processes) processes")
    }

    /// `key`, or `key.TAG` when compared.
    func key(_ key: String) -> String { compared ? "\(key).\(tag)" : key }

    /// `title`, or `title — NAME` when compared.
    func title(_ title: String) -> String { compared ? "\(title) — \(name)" : title }

    /// Prepares a fresh hub database (an SQLite file in `setup`'s directory, or a new PostgreSQL
    /// database): imports the tree, registers `stations` and applies `prefill` in-process.
    /// Returns the database's location, as `tributary-hub --db` takes it, and the stations.
    func prepare(_ setup: HubSetup, tree: CountyTree, stations: [(name: String, org: String)], prefill: [Change] = []) async throws
        -> (database: String, registered: [(station: HubStation, token: String)])
    {
        switch store {
        case .sqlite:
            return (setup.dbPath, try await setup.prepare(tree: tree, stations: stations, prefill: prefill))
        case .postgres(let server):
            let database = try server.createDatabase()
            let hubStore = try await PostgresHubStore.open(try PostgresLocation(url: database), schema: setup.schema)
            do {
                let registered = try await setup.prepare(store: hubStore, tree: tree, stations: stations, prefill: prefill)
                await hubStore.close()
                return (database, registered)
            } catch {
                await hubStore.close()
                throw error
            }
        }
    }

    /// Starts the processes on `database`.
    func start(binary: String, database: String) throws -> HubGroup {
        let group = HubGroup(server: { if case .postgres(let server) = store { server } else { nil } }(), database: database)
        for _ in 0..<processes { group.hubs.append(try HubProcess(binary: binary, dbPath: database)) }
        return group
    }
}

/// The running hub processes of one deployment, and the CPU they (and the database server)
/// use during a measurement.
final class HubGroup: @unchecked Sendable {
    var hubs: [HubProcess] = []
    let server: PostgresServer?
    let database: String

    init(server: PostgresServer?, database: String) {
        self.server = server
        self.database = database
    }

    /// The process the `index`th station talks to (round-robin).
    func url(for index: Int) -> URL { hubs[index % hubs.count].url }

    /// CPU seconds of every hub process so far.
    var hubCPU: Double { hubs.map(\.cpuSeconds).reduce(0, +) }

    /// The largest peak resident set of the processes, in MB.
    var peakRSSMB: Double { hubs.map(\.peakRSSMB).max() ?? 0 }

    /// Starts measuring CPU (hub processes and database server) and resets the server's
    /// statement statistics.
    func meter() -> CPUMeter {
        server?.resetStatements()
        return CPUMeter(group: self, hub: hubCPU, server: server?.cpuSeconds() ?? 0, began: .now)
    }

    /// Stops the processes and drops the PostgreSQL database.
    func stop() {
        for hub in hubs { hub.stop() }
        server?.dropDatabase(database)
    }
}

/// CPU used by the hubs (and the PostgreSQL server) since ``HubGroup/meter()``.
struct CPUMeter {
    let group: HubGroup
    let hub: Double
    let server: Double
    let began: ContinuousClock.Instant

    /// `hub CPU 10.2 s, PostgreSQL server CPU 28.2 s in 27.4 s wall; top statements: …`
    func summary() -> String {
        let wall = (ContinuousClock.now - began).seconds
        var text = "hub CPU \(String(format: "%.1f", group.hubCPU - hub)) s"
        if let postgres = group.server {
            text += ", PostgreSQL server CPU \(String(format: "%.1f", postgres.cpuSeconds() - server)) s"
        }
        text += " in \(String(format: "%.1f", wall)) s wall"
        if let top = group.server?.topStatements() { text += "; statement time: \(top)" }
        return text
    }
}
