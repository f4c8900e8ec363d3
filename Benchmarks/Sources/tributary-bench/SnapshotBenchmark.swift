import Foundation
import Logging
import SyncClient
import SyncModel
import SyncStore

/// Snapshot bootstrap: a new station of a township holding 20,000 members (100k live fields)
/// bootstraps from the hub (snapshot pages of 2,000, then a pull) over HTTP.
struct SnapshotBenchmark {
    let options: BenchOptions
    let tree: CountyTree

    func run(into book: inout FigureBook) async throws {
        let setup = try HubSetup(label: "snapshot")
        defer { setup.remove() }
        let township = tree.townships[0]
        let units = tree.recordUnits(of: township)
        var generator = CountyGenerator(tree: tree)
        var registry = SiteWriter(site: .random(), schema: setup.schema, startMillis: HubSetup.nowMillis - 86_400_000)
        for index in 0..<options.sizes.members {
            let unit = units[index % units.count]
            registry.write(generator.member("m-\(unit)-\(index)", unit: unit))
        }
        let registered = try await setup.prepare(
            tree: tree, stations: [("registry", tree.root), ("new-\(township)", township)], prefill: registry.changes)
        let hub = try HubProcess(binary: options.hubBinary, dbPath: setup.dbPath)
        defer { hub.stop() }

        let path = setup.directory.appendingPathComponent("new-station.db").path
        let station = try Station.create(at: path, org: township, hub: hub.url, token: registered[1].token)
        let engine = try station.syncEngine(logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let began = ContinuousClock.now
        let summary = try await engine.sync()
        let seconds = (ContinuousClock.now - began).seconds
        book.check("snapshot: the station installed every member", summary.installed >= options.sizes.members)
        let digest = try await HubClient(hub: hub.url, token: registered[1].token, schemaTag: setup.schemaTag).digest()
        book.check("snapshot: the new station's digest equals the hub's", try station.store.digest() == digest.digest)
        book.add("snapshot.seconds", "Snapshot bootstrap of a \(options.sizes.members / 1000)k-member township", unit: "s", value: seconds,
                 target: Figure.below(5), detail: "\(summary.installed) records (\(registry.changes.count) fields), pages of 2,000, SyncEngine over HTTP")
    }
}
