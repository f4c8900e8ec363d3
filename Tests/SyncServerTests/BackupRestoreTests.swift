import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// Backup while the hub serves, restore from an older backup, and the epoch handshake that
/// makes stations re-push what the hub lost (SPEC §14).
@Suite("Hub backup and restore")
struct BackupRestoreTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// One sync round of `replica` as fixture station `name` against the hub on `port`.
    static func sync(_ hub: HubFixture, _ name: String, _ replica: ReplicaStore, port: Int) async throws -> SyncSummary {
        try await SyncEngine(store: replica, transport: SyncEngineTests.transport(hub, name, port: port), logger: logger).sync()
    }

    /// The outcome of `body` as a value.
    static func attempt<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    @Test("after a restore from an older backup every station's changes are back on the hub and every digest agrees")
    func restoreFromOlderBackup() async throws {
        let hub = try await HubFixture()
        let township = try hub.replica("t1")
        let neighbour = try hub.replica("t2")
        let community = try hub.replica("c01")
        let backupPath = hub.directory.path("backup.db")

        // Given: three stations that synced, and a backup taken while the township pushes
        // 3,000 more changes.
        try await hub.application().test(.live) { client in
            let port = client.port!
            for index in 0..<10 { _ = try township.writeLocal(memberEdits("t-\(index)", unit: "yc-t01-c01")) }
            for index in 0..<5 { _ = try community.writeLocal(memberEdits("c-\(index)", unit: "yc-t01-c01")) }
            for index in 0..<5 { _ = try neighbour.writeLocal(memberEdits("n-\(index)", unit: "yc-t02")) }
            for (name, replica) in [("t1", township), ("c01", community), ("t2", neighbour)] {
                _ = try await Self.sync(hub, name, replica, port: port)
            }
            for index in 0..<1_000 { _ = try township.writeLocal(memberEdits("bulk-\(index)", unit: "yc-t01-c02")) }
            // The backup runs while the township's second push batch is on its way in.
            let http = SyncEngineTests.transport(hub, "t1", port: port)
            let pushes = Atomic<Int>(0)
            let taken = Mutex<Result<BackupReport, any Error>?>(nil)
            let store = hub.store
            let racing = InProcessTransport(
                push: { request throws(SyncError) in
                    guard pushes.add(1, ordering: .relaxed).newValue == 2 else { return try await http.push(request) }
                    async let copy = Self.attempt { try await store.backup(to: backupPath) }
                    let response = try await http.push(request)
                    let result = await copy
                    taken.withLock { $0 = result }
                    return response
                },
                pull: { cursor, limit throws(SyncError) in try await http.pull(cursor: cursor, limit: limit) },
                snapshot: { page, limit throws(SyncError) in try await http.snapshot(page: page, limit: limit) },
                whoami: { () throws(SyncError) in try await http.whoami() },
                digest: { () throws(SyncError) in try await http.scopeDigest() })
            var configuration = SyncEngine.Configuration()
            configuration.initialBatch = 500
            let pushed = try await SyncEngine(store: township, transport: racing, configuration: configuration, logger: Self.logger).sync()
            #expect(pushed.pushed == 3_000 && pushes.load(ordering: .relaxed) == 3)
            let backup = try #require(try taken.withLock { $0 }?.get())
            #expect(backup.epoch != backup.backupEpoch)

            // The copy is consistent: whatever it holds of the township's pushes, it holds
            // every change up to the seq it acknowledges, and nothing past it.
            let copy = try SQLiteHubStore.open(path: backupPath, schema: hub.schema, wallClock: .fixed(HubFixture.wallMillis))
            let acked = try await copy.bundleStation(id: hub.stationIDs["t1"]!).station.acked
            let logged = try copy.replica.changes(after: 0, limit: 100_000).filter { $0.change.site == township.siteID }.map(\.change.seq)
            #expect(logged == Array(1...acked) && acked >= 30 + 500, "the copy holds the first push batch at least")

            // When: after the backup, the community and the neighbour write and sync more.
            for index in 5..<10 { _ = try community.writeLocal(memberEdits("c-\(index)", unit: "yc-t01-c01")) }
            for index in 5..<10 { _ = try neighbour.writeLocal(memberEdits("n-\(index)", unit: "yc-t02")) }
            for (name, replica) in [("c01", community), ("t2", neighbour), ("t1", township)] {
                _ = try await Self.sync(hub, name, replica, port: port)
            }
        }

        // …and the hub is restored from the older backup.
        let restoredPath = hub.directory.path("restored.db")
        let restore = try SQLiteHubStore.restore(from: backupPath, to: restoredPath)
        let restored = try SQLiteHubStore.open(path: restoredPath, schema: hub.schema, wallClock: .fixed(HubFixture.wallMillis))
        #expect(try await restored.epoch() == restore.epoch)
        #expect(try await restored.epoch() != (try await hub.store.epoch()))
        _ = try neighbour.writeLocal(memberEdits("n-after", unit: "yc-t02"))

        // Then: the community, with nothing new to push, still finds out and pushes again what
        // the hub lost; after two rounds everyone agrees with the hub and the hub holds every
        // change every station wrote.
        try await buildApplication(store: restored, configuration: hub.configuration, metrics: HubMetrics()).test(.live) { client in
            let port = client.port!
            let first = try await Self.sync(hub, "c01", community, port: port)
            #expect(first.rewound && first.pushed == 15)
            for _ in 0..<2 {
                for (name, replica) in [("c01", community), ("t2", neighbour), ("t1", township)] {
                    _ = try await Self.sync(hub, name, replica, port: port)
                }
            }
            for (name, replica) in [("c01", community), ("t2", neighbour), ("t1", township)] {
                let station = try await restored.bundleStation(id: hub.stationIDs[name]!).station
                let own = try replica.changes(after: 0, limit: 100_000).filter { $0.change.site == replica.siteID }.count
                #expect(station.acked == UInt64(own), "\(name): the hub holds every own change again")
                #expect(try replica.outboxCount() == 0)
                #expect(try replica.digest() == (try await restored.digest(for: station)).digest, "\(name)")
            }
        }
    }

    @Test("a bootstrap interrupted before a restore starts its snapshot over in the new epoch", arguments: HubStoreKind.all)
    func bootstrapAcrossRestore(_ kind: HubStoreKind) async throws {
        // Given: a hub holding 1,200 members, backed up; a new station whose bootstrap stops
        // after two pages of 200.
        let hub = try await HubFixture(kind)
        try await hub.hubWrite((0..<1_200).flatMap { memberEdits("m-\($0)", unit: "yc-t01-c01") })
        let backupPath = hub.directory.path("backup.db")
        _ = try await hub.store.backup(to: backupPath)
        let station = try hub.replica("t1")
        var pageSize = SyncEngine.Configuration()
        pageSize.snapshotPageSize = 200
        let configuration = pageSize
        try await hub.application().test(.live) { client in
            let pages = Atomic<Int>(0)
            let failing = SnapshotWatcher(base: SyncEngineTests.transport(hub, "t1", port: client.port!)) { _ in
                pages.add(1, ordering: .relaxed).newValue <= 2
            }
            await #expect(throws: SyncError.self) {
                try await SyncEngine(store: station, transport: failing, configuration: configuration, logger: Self.logger).sync()
            }
        }
        let partial = try station.records(ofType: "member").count
        #expect(partial > 0 && partial < 1_200)

        // When: the hub is restored from the backup (same records, new epoch) and the station syncs.
        let restored = try await hub.restoredCopy(from: backupPath)
        try await buildApplication(store: restored, configuration: hub.configuration, metrics: HubMetrics()).test(.live) { client in
            let transport = SyncEngineTests.transport(hub, "t1", port: client.port!)
            let summary = try await SyncEngine(store: station, transport: transport, configuration: configuration, logger: Self.logger).sync()

            // Then: the snapshot started over from its first page, and the station agrees with the hub.
            #expect(summary.bootstrapped && summary.installed >= 1_200)
            #expect(try station.records(ofType: "member").count == 1_200)
            #expect(try station.digest() == (try await transport.scopeDigest()).digest)
        }
    }
}
