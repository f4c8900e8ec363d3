import Foundation
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import TributaryTestSupport

/// What one history did, summed over runs for the "histories are rich" guard.
struct HistoryStats: Sendable {
    var movesUp = 0, movesDown = 0, movesSideways = 0
    /// Moves of a record holding a personal field that change whether some station owns it.
    var personalMoves = 0
    /// Changes the hub refused, and writes the station planner refused before they left.
    var hubRefusals = 0, localRefusals = 0
    /// Stations that bootstrapped from a snapshot of a hub already holding station data.
    var bootstraps = 0
    /// Compactions that dropped at least one log entry.
    var compactions = 0
    var clockJumps = 0, quietPeriods = 0, staleWrites = 0
    var deletes = 0, restores = 0, setEdits = 0, advances = 0
    var quiescentChecks = 0

    mutating func add(_ other: HistoryStats) {
        movesUp += other.movesUp
        movesDown += other.movesDown
        movesSideways += other.movesSideways
        personalMoves += other.personalMoves
        hubRefusals += other.hubRefusals
        localRefusals += other.localRefusals
        bootstraps += other.bootstraps
        compactions += other.compactions
        clockJumps += other.clockJumps
        quietPeriods += other.quietPeriods
        staleWrites += other.staleWrites
        deletes += other.deletes
        restores += other.restores
        setEdits += other.setEdits
        advances += other.advances
        quiescentChecks += other.quiescentChecks
    }
}

/// Which kinds of steps histories take: all, less those named in
/// `TRIBUTARY_AGREEMENT_WITHOUT` (comma-separated: `moves`, `personal`, `stale`, `orgunit`,
/// `jumps`, `quiet`, `compaction`, `bootstraps`), to tell one defect from another while
/// fixing them.
struct HistoryFeatures: Sendable {
    var without: Set<String> = []

    static func fromEnvironment() -> HistoryFeatures {
        let text = ProcessInfo.processInfo.environment["TRIBUTARY_AGREEMENT_WITHOUT"] ?? ""
        return HistoryFeatures(without: Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
    }

    func allows(_ feature: String) -> Bool { !without.contains(feature) }
}

/// The result of one history.
struct HistoryOutcome: Sendable {
    var seed: UInt64
    /// One line per step.
    var steps: [String]
    /// The first disagreement found at a quiescent point, if any.
    var divergence: Divergence?
    var stats: HistoryStats

    /// The failure report: seed, the step log, what diverged, and how to replay.
    var report: String {
        """
        agreement broken at seed \(seed): \(divergence.map { "\($0.station) — \($0.check)" } ?? "?")
        \(divergence?.detail ?? "")
        history (\(steps.count) steps):
        \(steps.joined(separator: "\n"))
        \(PropertySettings.replayHint(seed: seed).replacingOccurrences(of: "<test>", with: "AgreementPropertyTests"))
        """
    }
}

/// One seeded random history over a hub and five or more stations (county, townships,
/// communities), checked at quiescent points. Everything random comes from the seed: the
/// steps, the values, the sites, the stations' clocks and page sizes.
struct AgreementHistory {
    /// The stations every history starts with: a county station, a township and one of its
    /// communities (overlapping scopes), that township's other community, another township.
    static let initialStations = [
        ("county", "yc"), ("t01", "yc-t01"), ("t01c01", "yc-t01-c01"), ("t01c02", "yc-t01-c02"), ("t02", "yc-t02"),
    ]

    let world: AgreementWorld
    let features: HistoryFeatures
    /// Whether quiescent points are checked (the richness guard plays histories unchecked).
    var checking = true
    var random: SeededRandom
    var steps: [String] = []
    var stats = HistoryStats()
    /// Every record some station wrote, in the order first written.
    var known: [RecordKey] = []
    var nextID = 1
    var extraStations = 0

    /// Runs the history of `seed` with `stepCount` random steps (drawn when `nil`); with
    /// `checking` false, quiescent points only sync and the history plays to its end.
    static func run(
        seed: UInt64, features: HistoryFeatures = .fromEnvironment(), stepCount: Int? = nil, checking: Bool = true, kind: HubStoreKind = .sqlite
    ) async throws -> HistoryOutcome {
        var random = SeededRandom(seed: seed)
        let world = try await AgreementWorld(kind: kind)
        var history = AgreementHistory(world: world, features: features, checking: checking, random: random)
        let divergence: Divergence?
        do {
            divergence = try await history.play(stepCount: stepCount)
        } catch {
            await world.close()
            throw error
        }
        await world.close()
        return HistoryOutcome(seed: seed, steps: history.steps, divergence: divergence, stats: history.stats)
    }

    /// A site id from the seed (never all zeros or all ones).
    static func site(_ random: inout SeededRandom) -> SiteID {
        SiteID(rawValue: (random.next() | 1) & ~(1 << 63))
    }

    private mutating func play(stepCount: Int?) async throws -> Divergence? {
        for (name, unit) in Self.initialStations {
            let station = try await addStation(name: name, unit: unit)
            if random.chance(0.7) { await sync(station) }
        }
        let count = stepCount ?? Int.random(in: 15...40, using: &random)
        var untilCheck = Int.random(in: 10...25, using: &random)
        for index in 0..<count {
            world.truth.advance(by: UInt64.random(in: 1...4_000, using: &random))
            // The first steps give the history something to work on.
            try await step(creating: index < 4)
            untilCheck -= 1
            if untilCheck == 0 {
                untilCheck = Int.random(in: 10...25, using: &random)
                if let divergence = try await settle() { return divergence }
            }
        }
        return try await settle()
    }

    /// A quiescent point and its checks.
    private mutating func settle() async throws -> Divergence? {
        stats.quiescentChecks += 1
        // The hub often compacts just before: the stations that have not synced since the
        // last quiescent point then pull from cursors older than the compaction.
        if features.allows("compaction") && random.chance(0.5) { try await compact(short: true) }
        var lines: [String] = []
        let divergence = try await world.settle(checking: checking) { lines.append($0) }
        for line in lines { note(line) }
        note("quiescent point: \(!checking ? "not checked" : divergence == nil ? "all agree" : "DIVERGED")")
        return divergence
    }

    /// Adds a line to the step log.
    mutating func note(_ line: String) {
        steps.append(String(format: "%3d ", steps.count + 1) + line)
    }

    /// Registers a station with a seeded site, clock drift and page sizes.
    mutating func addStation(name: String, unit: String) async throws -> AgreementStation {
        var configuration = SyncEngine.Configuration()
        configuration.pullLimit = [5, 50, 5_000].randomElement(using: &random)!
        configuration.snapshotPageSize = [2, 50, 2_000].randomElement(using: &random)!
        configuration.initialBatch = [2, 1_000].randomElement(using: &random)!
        let site = Self.site(&random)
        let drift = Int64.random(in: -120_000...120_000, using: &random)
        note(
            "station \(name) at \(unit): site \(site), clock \(drift >= 0 ? "+" : "")\(drift / 1_000) s, pull \(configuration.pullLimit), "
                + "snapshot \(configuration.snapshotPageSize), push \(configuration.initialBatch)")
        return try await world.addStation(name: name, unit: unit, site: site, normalOffset: drift, configuration: configuration)
    }

    /// One sync round of `station`, logged.
    mutating func sync(_ station: AgreementStation) async {
        switch await station.sync() {
        case .success(let summary):
            stats.hubRefusals += summary.refused.count
            var parts = ["pushed \(summary.pushed)"]
            if !summary.refused.isEmpty { parts.append("refused \(summary.refused.map { "\($0.seq):\($0.code.rawValue)" })") }
            if summary.bootstrapped { parts.append("bootstrapped \(summary.installed)") }
            parts.append("pulled \(summary.pulled)")
            if summary.removed > 0 { parts.append("removed \(summary.removed)") }
            note("\(station.name) sync → \(parts.joined(separator: ", "))")
        case .failure(let error):
            note("\(station.name) sync → error \(error.code.rawValue)")
        }
    }

    /// One random step (a creation when `creating`).
    private mutating func step(creating: Bool = false) async throws {
        var kinds: [(weight: Int, kind: StepKind)] = [
            (10, .create), (18, .edit), (4, .deleteOrRestore), (4, .setEdit), (4, .advance), (16, .sync),
        ]
        if features.allows("moves") { kinds.append((12, .move)) }
        if features.allows("stale") { kinds.append((5, .staleWrite)) }
        if features.allows("orgunit") { kinds.append((2, .orgUnitWrite)) }
        if features.allows("quiet") { kinds.append((1, .quiet)) }
        if features.allows("jumps") { kinds.append((2, .clockJump)) }
        if features.allows("bootstraps") && extraStations < 2 { kinds.append((2, .newStation)) }
        if features.allows("compaction") { kinds.append((3, .compact)) }
        if creating { kinds = [(1, .create)] }
        var pick = Int.random(in: 0..<kinds.reduce(0) { $0 + $1.weight }, using: &random)
        let kind = kinds.first { entry in
            pick -= entry.weight
            return pick < 0
        }!.kind
        let station = world.stations.randomElement(using: &random)!
        switch kind {
        case .create: try create(at: station)
        case .edit: try await edit(at: station)
        case .move: try move(at: station)
        case .deleteOrRestore: try deleteOrRestore(at: station)
        case .setEdit: try setEdit(at: station)
        case .advance: try advance(at: station)
        case .staleWrite: try staleWrite(at: station)
        case .orgUnitWrite: try orgUnitWrite(at: station)
        case .sync: await sync(station)
        case .quiet:
            let minutes = UInt64.random(in: 11...45, using: &random)
            world.truth.advance(by: minutes * 60_000)
            stats.quietPeriods += 1
            note("quiet: \(minutes) minutes pass with no sync")
        case .clockJump: clockJump(station)
        case .newStation: try await newStation()
        case .compact: try await compact()
        }
    }

    enum StepKind {
        case create, edit, move, deleteOrRestore, setEdit, advance, staleWrite, orgUnitWrite, sync, quiet, clockJump, newStation, compact
    }
}

