import Foundation
import Logging
import SyncClient
import SyncModel
import SyncStore

/// Convergence at scale: N stations (township stations and the community and village stations
/// below them) each write C changes offline — their own members, orders, time bank and
/// activities, plus concurrent edits of shared records with their township station (lww
/// fields that end in conflicts, forward states, attendee sets) — then all sync with the real
/// hub at once and sync again. Every station's digest must then equal the hub's digest of its
/// view; the check compares real SHA-256 digests and fails the run when one differs.
struct ConvergenceBenchmark {
    let options: BenchOptions
    let tree: CountyTree

    /// One station of the plan.
    struct Seat {
        var name: String
        var org: String
        var township: String
    }

    /// Township stations, each followed by the community and village stations under it.
    func seats() -> [Seat] {
        var seats: [Seat] = []
        for township in tree.townships {
            seats.append(Seat(name: township, org: township, township: township))
            for community in tree.communities where community.township == township {
                seats.append(Seat(name: community.unit, org: community.unit, township: township))
            }
        }
        return Array(seats.prefix(options.convergenceStations))
    }

    /// The saves of one seat: shared edits first, then its own work, cut at `perStation` changes.
    func saves(for seat: Seat, among seats: [Seat], generator: inout CountyGenerator) -> [[LocalEdit]] {
        var saves: [[LocalEdit]] = []
        let isTownship = seat.org == seat.township
        let partners = isTownship ? seats.filter { $0.township == seat.township && $0.org != seat.org }.map(\.org) : [seat.org]
        let hasTownshipStation = seats.contains { $0.org == seat.township }
        if isTownship || hasTownshipStation {
            for unit in partners {
                for k in 0..<3 {
                    let marker = isTownship ? "township" : "village"
                    saves.append(generator.edits("member", "m-\(unit)-shared-\(k)", unit, [
                        ("name", .string("共管党员\(k)")), ("orgUnitId", .string(unit)),
                        ("category", .string(isTownship ? "retired" : "floating")), ("birthYear", .int(isTownship ? 1950 : 1951)),
                    ]))
                    saves.append(generator.edits("serviceOrder", "so-\(unit)-shared-\(k)", unit, [
                        ("orgUnitId", .string(unit)), ("state", .string(isTownship ? "dispatched" : "accepted")),
                        ("category", .string("elderCare")), ("requester", .string("\(marker)登记")),
                    ]))
                    saves.append((0..<10).map { i in
                        LocalEdit(
                            key: FieldKey(type: "activity", id: "act-\(unit)-shared-\(k)", field: "attendees", element: "m-\(unit)-\(marker)-\(i)"),
                            scope: unit, value: .bool(true))
                    })
                }
            }
        }
        let units = isTownship ? tree.recordUnits(of: seat.org) : tree.subtree(of: seat.org)
        let register = (0..<max(1, options.changesPerStation / 50)).map { index in
            (id: "m-\(seat.org)-\(index)", unit: units[index % units.count])
        }
        for member in register { saves.append(generator.member(member.id, unit: member.unit)) }
        saves += generator.work(
            prefix: seat.org + "-own", units: units, share: Double(options.changesPerStation) / 1_000_000, sizes: CountyGenerator.Sizes(),
            members: register)
        // Cut (or repeat corrections) to exactly `changesPerStation` changes.
        var cut: [[LocalEdit]] = []
        var count = 0
        for save in saves where count < options.changesPerStation {
            let take = Array(save.prefix(options.changesPerStation - count))
            cut.append(take)
            count += take.count
        }
        var round = 0
        while count < options.changesPerStation {
            let member = register[round % register.count]
            cut.append(generator.edits("member", member.id, member.unit, [("birthYear", .int(Int64(1950 + round % 50)))]))
            count += 1
            round += 1
        }
        return cut
    }

    /// Writes every seat's replica once (into `template`), through `ReplicaStore.writeLocal`.
    func writeTemplate(_ seats: [Seat], at template: URL) throws {
        try FileManager.default.createDirectory(at: template, withIntermediateDirectories: true)
        var generator = CountyGenerator(tree: tree)
        for seat in seats {
            let station = try Station.create(at: template.appendingPathComponent("\(seat.name).db").path, org: seat.org, name: seat.name)
            var pending: [LocalEdit] = []
            for save in saves(for: seat, among: seats, generator: &generator) {
                pending += save
                if pending.count >= 500 {
                    try station.store.writeLocal(pending)
                    pending = []
                }
            }
            if !pending.isEmpty { try station.store.writeLocal(pending) }
        }
    }

    /// Copies the template's replicas, registers every seat on a fresh hub of `deployment`
    /// (stations spread round-robin over its processes), syncs them all twice at once, then
    /// checks every station's digest against the hub's view of it — asked of the process the
    /// station synced through and, with several processes, of the next one too.
    func run(template: URL, seats: [Seat], deployment: HubDeployment = .sqlite, into book: inout FigureBook) async throws {
        let setup = try HubSetup(label: "convergence")
        defer { setup.remove() }
        let (database, registered) = try await deployment.prepare(setup, tree: tree, stations: seats.map { ($0.name, $0.org) })
        let hubs = try deployment.start(binary: options.hubBinary, database: database)
        defer { hubs.stop() }
        var stations: [Station] = []
        for (index, (seat, entry)) in zip(seats, registered).enumerated() {
            let path = setup.directory.appendingPathComponent("\(seat.name).db").path
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: template.appendingPathComponent("\(seat.name).db\(suffix)").path) {
                try FileManager.default.copyItem(atPath: template.appendingPathComponent("\(seat.name).db\(suffix)").path, toPath: path + suffix)
            }
            let station = try Station.open(at: path)
            try station.setRemote(hub: hubs.url(for: index), token: entry.token)
            stations.append(station)
        }
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let engines = try stations.map { station in
            try station.syncEngine(transport: try station.httpTransport(retry: RetryPolicy(attempts: 5), timeout: 600), logger: logger)
        }
        let meter = hubs.meter()
        let began = ContinuousClock.now
        var pushed = 0
        for round in 0..<2 {
            pushed += try await withThrowingTaskGroup(of: Int.self) { group in
                for engine in engines { group.addTask { try await engine.sync().pushed } }
                return try await group.reduce(0, +)
            }
            print("  round \(round + 1) done after \(String(format: "%.1f", (ContinuousClock.now - began).seconds)) s")
        }
        let seconds = (ContinuousClock.now - began).seconds
        let cpu = meter.summary()
        let total = seats.count * options.changesPerStation
        book.check(deployment.title("convergence: every change pushed"), pushed == total)

        var mismatched: [String] = []
        var conflicts = 0
        let checking = ContinuousClock.now
        for (index, (seat, station)) in zip(seats, stations).enumerated() {
            if index > 0, index % 50 == 0 { print("  \(index) digests compared after \(String(format: "%.1f", (ContinuousClock.now - checking).seconds)) s") }
            let local = try station.store.digest()
            if try await station.httpTransport().scopeDigest().digest != local { mismatched.append(seat.name) }
            if hubs.hubs.count > 1 {
                let other = HubClient(hub: hubs.url(for: index + 1), token: registered[index].token, schemaTag: setup.schemaTag)
                if try await other.digest().digest != local { mismatched.append(seat.name + " (asked of another process)") }
            }
            conflicts += try station.store.conflicts().count
        }
        let checked = (ContinuousClock.now - checking).seconds
        let asked = hubs.hubs.count > 1 ? " (asked of its own process and of another)" : ""
        book.check(deployment.title("convergence: every station digest equals the hub's /v1/digest for it\(asked)"), mismatched.isEmpty)
        if !mismatched.isEmpty { print("  digest mismatch at \(mismatched.count) stations, e.g. \(mismatched.prefix(5))") }
        book.check(deployment.title("convergence: concurrent edits surfaced as conflicts"), conflicts > 0)
        let detail = "\(seats.count) stations × \(options.changesPerStation) changes (\(total) in all), push + bootstrap + pull, then a second round; \(conflicts) open conflicts held across stations; digests \(mismatched.isEmpty ? "all equal" : "DIFFER at \(mismatched.count)") (compared in \(String(format: "%.0f", checked)) s, not timed); \(cpu)"
        book.add(deployment.key("convergence.seconds"), deployment.title("Convergence, \(seats.count) × \(options.changesPerStation.formatted(.number)) through the hub"),
                 unit: "s", value: seconds, target: deployment.compared ? nil : Figure.below(60, aim: 30), detail: detail)
        if !deployment.compared {
            book.add("memory.convergencePeakMB", "Hub peak RSS during the \(seats.count)-station run", unit: "MB", value: hubs.peakRSSMB,
                     target: Figure.below(200, aim: 100), detail: "VmHWM of the tributary-hub process")
        }
    }
}
