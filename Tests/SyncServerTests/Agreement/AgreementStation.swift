import Logging
import Synchronization
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import TributaryTestSupport

/// One station of an agreement history: a real ``Station`` on its own SQLite file, with a
/// wall clock of its own (true time plus an offset the history moves), synced by the real
/// ``SyncEngine`` over an in-process transport to the hub store as its registered token.
final class AgreementStation: Sendable {
    /// A short name for the step log, e.g. `t01c01`.
    let name: String
    /// The org unit its token is bound to.
    let unit: String
    /// The station (writes go through its planner, so local scope checks apply).
    let station: Station
    /// Its sync engine.
    let engine: SyncEngine
    /// Its bearer token.
    let token: String
    /// The drift its clock normally has from true time (milliseconds, either way).
    let normalOffset: Int64
    /// Its clock's current offset from true time.
    private let offset: ClockOffset

    /// The replica.
    var store: ReplicaStore { station.store }
    /// Its clock's offset from true time now.
    var clockOffset: Int64 { offset.millis.load(ordering: .relaxed) }
    /// Whether its clock is off by more than its normal drift.
    var isJumped: Bool { clockOffset != normalOffset }

    /// Registers a station at `unit` with the hub and creates its replica at `path` from the
    /// bytes of an empty replica, with `site` as its site id (drawn from the history's seed,
    /// so that a replay breaks version ties the same way).
    init(
        name: String, unit: String, site: SiteID, normalOffset: Int64, configuration: SyncEngine.Configuration,
        hub: any HubStore, truth: TestClock, path: String, template: [UInt8]
    ) async throws {
        let (_, token) = try await hub.addStation(name: name, org: unit)
        let offset = ClockOffset(normalOffset)
        self.offset = offset
        let clock = WallClock { UInt64(Int64(truth.now) + offset.millis.load(ordering: .relaxed)) }
        try AgreementTemplates.copy(template, to: path)
        do {
            let fresh = try ReplicaStore.open(path: path, schema: hub.schema, wallClock: clock)
            try fresh.write { db in
                try Meta.siteID.write(site.hex, db)
                try Meta.org.write(unit, db)
                try Meta.stationName.write(name, db)
            }
        }
        station = try Station.open(at: path, schema: hub.schema, wallClock: clock)
        precondition(station.siteID == site)
        engine = station.store.syncEngine(
            transport: HubTransport.make(hub: hub, token: token, hubClock: truth), configuration: configuration,
            logger: Self.logger)
        self.name = name
        self.unit = unit
        self.token = token
        self.normalOffset = normalOffset
    }

    /// Sets the clock's offset from true time (a jump), or back to normal with `nil`.
    func setClock(offset value: Int64?) {
        offset.millis.store(value ?? normalOffset, ordering: .relaxed)
    }

    /// One sync round.
    func sync() async -> Result<SyncSummary, SyncError> {
        do throws(SyncError) {
            return .success(try await engine.sync())
        } catch {
            return .failure(error)
        }
    }

    static let logger = Logger(label: "agreement") { _ in SwiftLogNoOpLogHandler() }
}

/// A clock offset shared between a station and the wall clock its replica reads.
private final class ClockOffset: Sendable {
    let millis: Atomic<Int64>

    init(_ millis: Int64) {
        self.millis = Atomic(millis)
    }
}

extension ReplicaStore {
    /// A sync engine for this replica.
    fileprivate func syncEngine(transport: any ChangeTransport, configuration: SyncEngine.Configuration, logger: Logger) -> SyncEngine {
        SyncEngine(store: self, transport: transport, configuration: configuration, logger: logger)
    }
}

extension AgreementStation {
    /// One sync round that must succeed.
    @discardableResult
    func synced() async throws -> SyncSummary {
        try await sync().get()
    }
}
