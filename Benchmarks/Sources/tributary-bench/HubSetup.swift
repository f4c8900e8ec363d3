import CountyWork
import Foundation
import SyncModel
import SyncServer

/// A hub file in a temp directory, prepared in-process before the hub binary serves it: the
/// county's org tree, registered stations (with their tokens) and pre-filled data.
struct HubSetup {
    let directory: URL
    let schema: Schema
    var dbPath: String { directory.appendingPathComponent("hub.db").path }
    var schemaTag: String { WireProtocol.schemaTag(schema) }

    /// Creates an empty directory for one hub.
    init(label: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-bench-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        schema = try CountyWorkSchema.load()
    }

    /// Imports the tree, registers `stations` (name, org) and applies `prefill` pushed by the
    /// first station, in batches as a station would. Returns each station with its token.
    func prepare(tree: CountyTree, stations: [(name: String, org: String)], prefill: [Change] = []) async throws
        -> [(station: HubStation, token: String)]
    {
        try await prepare(store: try SQLiteHubStore.open(path: dbPath, schema: schema), tree: tree, stations: stations, prefill: prefill)
    }

    /// The same on an open store (a PostgreSQL database, for instance).
    func prepare(store: any HubStore, tree: CountyTree, stations: [(name: String, org: String)], prefill: [Change] = []) async throws
        -> [(station: HubStation, token: String)]
    {
        _ = try await store.importOrgUnits(tree.units)
        var registered: [(station: HubStation, token: String)] = []
        for (name, org) in stations { registered.append(try await store.addStation(name: name, org: org)) }
        if let first = registered.first {
            let context = ValidationContext(wallMillis: UInt64(Date().timeIntervalSince1970 * 1000))
            for start in stride(from: 0, to: prefill.count, by: 20_000) {
                let response = try await store.push(Array(prefill[start..<min(start + 20_000, prefill.count)]), from: first.station, context: context)
                guard response.refused.isEmpty else { throw BenchError("pre-fill refused: \(response.refused[0].message)") }
            }
        }
        return registered
    }

    /// Removes the directory.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Milliseconds since the epoch now.
    static var nowMillis: UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }
}
