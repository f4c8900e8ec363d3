import CountyWork
import Foundation
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import TributaryTestSupport

/// A hub and its stations for one agreement history: the real `SQLiteHubStore` on a temp-dir
/// file (or the real `PostgresHubStore` on a new database) with the county tree of ``AgreementTree``, stations added as the history goes, true
/// time (the hub's wall clock), the reference view, and the checks of a quiescent point.
final class AgreementWorld {
    /// True time when a history starts.
    static let start: UInt64 = 1_750_000_000_000

    let schema: Schema
    let tree = AgreementTree()
    let directory: TemporaryDirectory
    /// True time: the hub's wall clock; stations read it plus their offset.
    let truth = TestClock(AgreementWorld.start)
    let hub: any HubStore
    /// The hub as SQLite (the tests that read its file).
    var sqliteHub: SQLiteHubStore { hub as! SQLiteHubStore }
    private(set) var stations: [AgreementStation] = []
    private(set) var reference: ReferenceView

    /// Opens a hub holding the county tree: a copy of ``AgreementTemplates``' file, or a new
    /// PostgreSQL database given the template's site and tree.
    init(kind: HubStoreKind = .sqlite) async throws {
        schema = try CountyWorkSchema.load()
        directory = TemporaryDirectory.forAgreement()
        let templates = try await AgreementTemplates.bytes(schema: schema)
        switch kind {
        case .sqlite:
            let path = directory.path("hub.db")
            try AgreementTemplates.copy(templates.hub, to: path)
            hub = try SQLiteHubStore.open(path: path, schema: schema, wallClock: truth.wallClock)
        case .postgres:
            hub = try await AgreementTemplates.postgresHub(schema: schema, wallClock: truth.wallClock)
        }
        replicaTemplate = templates.replica
        reference = ReferenceView(schema: schema, tree: tree)
    }

    /// Ends the hub's connection pool (PostgreSQL; a file needs nothing).
    func close() async {
        await (hub as? PostgresHubStore)?.close()
    }

    /// An empty migrated replica file, as bytes.
    let replicaTemplate: [UInt8]

    /// Registers a new station and creates its replica (it bootstraps on its first sync).
    @discardableResult
    func addStation(
        name: String, unit: String, site: SiteID, normalOffset: Int64, configuration: SyncEngine.Configuration = .init()
    ) async throws -> AgreementStation {
        let station = try await AgreementStation(
            name: name, unit: unit, site: site, normalOffset: normalOffset, configuration: configuration, hub: hub,
            truth: truth, path: directory.path("\(name).db"), template: replicaTemplate)
        stations.append(station)
        return station
    }

    /// Registers a station for a focused test: a site of its own, a clock on true time.
    @discardableResult
    func addStation(_ name: String, at unit: String) async throws -> AgreementStation {
        try await addStation(name: name, unit: unit, site: SiteID(rawValue: 0x5157_0000_0000_0001 + UInt64(stations.count)), normalOffset: 0)
    }

    /// The station named `name`.
    func station(_ name: String) -> AgreementStation {
        stations.first { $0.name == name }!
    }

    /// Reads what the hub accepted since the last call into the reference (call before a
    /// compaction drops any of it).
    func collect() async throws {
        try await reference.collect(from: hub)
    }

    /// Compacts the hub after reading its log into the reference.
    func compact(retentionMillis: UInt64) async throws -> CompactReport {
        try await collect()
        return try await hub.compact(retentionMillis: retentionMillis)
    }
}

/// Where and how a replica disagrees with what it must hold.
struct Divergence: Error, CustomStringConvertible {
    /// The station (or `hub`).
    var station: String
    /// The check that failed.
    var check: String
    /// What differs.
    var detail: String

    var description: String { "\(station): \(check) — \(detail)" }
}

extension AgreementWorld {
    /// A quiescent point: every clock right again, every station synced, then each again, so
    /// that nothing more moves; then every check (unless `checking` is false). Returns the
    /// first divergence.
    func settle(checking: Bool = true, log: (String) -> Void) async throws -> Divergence? {
        for station in stations where station.isJumped {
            station.setClock(offset: nil)
            log("clock \(station.name) back to normal")
        }
        for round in 1...2 {
            for station in stations {
                if case .failure(let error) = await station.sync(), checking {
                    return Divergence(
                        station: "\(station.name)@\(station.unit)", check: "sync at a quiescent point (round \(round))", detail: "\(error)")
                }
            }
        }
        return checking ? try await check() : nil
    }

    /// The checks of a quiescent point, hub first, then every station in order.
    func check() async throws -> Divergence? {
        try await collect()
        if let difference = DumpDiff.firstDifference(expected: reference.dump(for: nil), actual: try await hub.dump()) {
            return Divergence(station: "hub", check: "hub state = every accepted change merged", detail: difference)
        }
        for station in stations {
            if let divergence = try await check(station) { return divergence }
        }
        return nil
    }

    /// (1) the canonical dump equals the reference view, (2) the digest equals the hub's
    /// `/v1/digest` for it, (3) its refused changes are those the hub refused, and the hub and
    /// it agree on what was acknowledged, with nothing waiting.
    func check(_ station: AgreementStation) async throws -> Divergence? {
        let name = "\(station.name)@\(station.unit)"
        let expected = reference.dump(for: station.unit)
        if let difference = DumpDiff.firstDifference(expected: expected, actual: try station.store.dump()) {
            return Divergence(station: name, check: "(1) dump = reference view", detail: difference)
        }
        let registered = try await hub.authenticate(token: station.token)
        let hubDigest = try await hub.digest(for: registered).digest
        let digest = try station.store.digest()
        if digest != hubDigest {
            return Divergence(station: name, check: "(2) digest = hub digest for it", detail: "station \(digest.prefix(12)), hub \(hubDigest.prefix(12))")
        }
        let hubRefused = Set(try await hub.refusals(of: registered).refusals.map { "\($0.seq):\($0.code.rawValue)" })
        let refused = Set(try station.store.refusedChanges().compactMap { logged -> String? in
            guard case .refused(let error) = logged.state else { return nil }
            return "\(logged.change.seq):\(error.code.rawValue)"
        })
        if refused != hubRefused {
            return Divergence(
                station: name, check: "(3) refused = hub's refusals",
                detail: "station only \(refused.subtracting(hubRefused).sorted()), hub only \(hubRefused.subtracting(refused).sorted())")
        }
        // `HubStation.acked` is what an empty push answers (SPEC §14 reads it so); the
        // defect test of acknowledgement asks the empty push itself.
        let waiting = try station.store.outboxCount()
        let own = try station.store.read { db in try Meta.nextSeq.read(db).flatMap { Int($0) } ?? 1 } - 1
        let acked = registered.acked
        if waiting != 0 || acked != UInt64(own) {
            return Divergence(
                station: name, check: "(3) everything acknowledged",
                detail: "\(own) own changes, \(waiting) waiting at the station, the hub acknowledges \(acked)")
        }
        return nil
    }
}

extension TemporaryDirectory {
    /// A directory for an agreement history: on `/dev/shm` when the machine has one (the
    /// files are real SQLite files in WAL mode, but an fsync there costs nothing, which keeps
    /// 200 histories of a few hundred transactions each within seconds), else the temp folder.
    static func forAgreement() -> TemporaryDirectory {
        let shm = URL(fileURLWithPath: "/dev/shm")
        guard FileManager.default.isWritableFile(atPath: shm.path) else { return TemporaryDirectory("agreement") }
        return TemporaryDirectory("tributary-agreement", in: shm)
    }
}
