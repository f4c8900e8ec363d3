import FaultProxy
import Foundation
import Hummingbird
import Synchronization
import TributaryTestSupport

/// One soak run: a real hub and real stations, random writes, kill -9 at random moments,
/// a faulty link, then clean rounds of sync and the checks. On SQLite one hub process; on
/// PostgreSQL (``Options/postgres``) several on one database of a throw-away cluster that is
/// also restarted during the run.
struct SoakRun: Sendable {
    /// The settings of a run.
    struct Options: Sendable {
        /// How many kill -9 to deliver (hub and stations together).
        var kills = 100
        /// The longest the whole run may take, in seconds.
        var seconds = 540.0
        /// The seed of every random choice (faults, writes, kills).
        var seed: UInt64 = 1
        /// How many stations: one per township, plus one county station.
        var stations = 6
        /// The share of requests each proxy injects a fault into.
        var faultRate = 0.25
        /// The share of kills aimed at the hub.
        var hubKillShare = 0.3
        /// Where the built `tributary` and `tributary-hub` are.
        var binDirectory: URL
        /// Where the hub, replicas and tool output go.
        var workDirectory: URL
        /// The org tree to import (Protocol/examples/sample-county.csv).
        var countyCSV: String
        /// Run the hub on PostgreSQL: a throw-away cluster of the driver's own, ``hubProcesses``
        /// `serve` processes on one database, stations spread over them.
        var postgres = false
        /// How many hub processes share the PostgreSQL database.
        var hubProcesses = 3
        /// How many times the PostgreSQL server restarts during the run (immediate, then fast, …).
        var postgresRestarts = 1
    }

    let options: Options

    /// Shared between the station loops and the chaos loop.
    private final class Flags: Sendable {
        let stop = Atomic<Bool>(false)
        let stationKills = Atomic<Int>(0)
        let postgresRestarts = Atomic<Int>(0)
    }

    /// What one station loop did.
    private struct Tally: Sendable {
        var acknowledged: [(station: Int, change: ExpectedChange)] = []
        var writesByKind: [String: Int] = [:]
        var writesKilled = 0
        var refusedAtStation: [String: Int] = [:]
        var syncOutcomes: [String: Int] = [:]
        var killsDuringSync = 0
        var killsDuringWrite = 0
        var upstreamSwitches = 0
        var problems: [String] = []
    }

    func run() async throws -> SoakFigures {
        let started = ContinuousClock.now
        let deadline = started + .seconds(options.seconds)
        var figures = SoakFigures()
        figures.seed = options.seed
        figures.stations = options.stations
        figures.killsRequested = options.kills
        let work = options.workDirectory
        let tools = try Tools(binDirectory: options.binDirectory, scratch: work.appendingPathComponent("out"))
        let county = County(csv: try String(contentsOfFile: options.countyCSV, encoding: .utf8))
        guard let root = county.root, county.townships.count >= options.stations - 1 else {
            throw SoakFailure("the county file has no root or fewer than \(options.stations - 1) townships")
        }
        let townships = Array(county.townships.prefix(options.stations - 1))
        let cluster = options.postgres ? try await SoakPostgres.start(scratch: tools.scratch) : nil
        let hubs = if let cluster {
            (0..<options.hubProcesses).map { HubNode(database: cluster.url, tools: tools, name: "hub process \($0 + 1)") }
        } else {
            [HubNode(database: work.appendingPathComponent("hub.db").path, tools: tools)]
        }
        figures.store = cluster == nil ? "sqlite" : "postgres"
        figures.hubProcesses = hubs.count
        do {
            try await hubs[0].importCounty(options.countyCSV)
            let orgs: [(org: String, township: String?)] = townships.map { ($0, $0) } + [(root, nil)]
            var tokens: [String] = []
            for (index, entry) in orgs.enumerated() {
                tokens.append(try await hubs[0].addStation(org: entry.org, name: "s\(index)-\(entry.org)"))
            }
            var hubURLs: [URL] = []
            for hub in hubs {
                try await hub.start()
                hubURLs.append(await hub.url)
            }
            // Station i talks to hub process i mod n (what a load balancer spreads).
            let proxies = (0..<orgs.count).map { index in
                FlakyProxy(upstream: hubURLs[index % hubURLs.count], plan: .init(rate: options.faultRate, seed: options.seed &+ UInt64(index) &* 7919))
            }
            for proxy in proxies { proxy.isEnabled = false }
            let result = try await soak(
                hubs: hubs, hubURLs: hubURLs, cluster: cluster, tools: tools, proxies: proxies, orgs: orgs, tokens: tokens, county: county,
                townships: townships, figures: figures, started: started, deadline: deadline)
            await cluster?.stop()
            return result
        } catch {
            // Leave no hub and no PostgreSQL server behind when the run itself fails.
            for hub in hubs { _ = await hub.kill9() }
            await cluster?.stop()
            throw error
        }
    }

    private func soak(
        hubs: [HubNode], hubURLs: [URL], cluster: SoakPostgres?, tools: Tools, proxies: [FlakyProxy], orgs: [(org: String, township: String?)], tokens: [String], county: County,
        townships: [String], figures: SoakFigures, started: ContinuousClock.Instant, deadline: ContinuousClock.Instant
    ) async throws -> SoakFigures {
        var figures = figures
        let work = options.workDirectory
        return try await withThrowingTaskGroup(of: Void.self) { servers in
            var nodes: [StationNode] = []
            for (index, proxy) in proxies.enumerated() {
                let (ports, continuation) = AsyncStream<Int>.makeStream()
                let application = proxy.application(onServerRunning: { port in
                    continuation.yield(port)
                    continuation.finish()
                })
                servers.addTask { try await application.runService(gracefulShutdownSignals: []) }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw SoakFailure("proxy \(index) did not start") }
                nodes.append(StationNode(
                    index: index, org: orgs[index].org, township: orgs[index].township,
                    database: work.appendingPathComponent("station-\(index).db").path, proxy: proxy, port: port, tools: tools))
            }
            defer { servers.cancelAll() }

            // Set-up on a clean link: replicas, the shared records of each township, two rounds.
            var acknowledged: [(station: Int, change: ExpectedChange)] = []
            for (node, token) in zip(nodes, tokens) {
                try await node.create(token: token)
                _ = try await node.settle()  // the org tree comes from the hub
            }
            for node in nodes {
                guard let township = node.township else { continue }
                for write in Shared.creations(township, county: county) {
                    let (exit, _) = try await node.run(write.args)
                    guard exit.succeeded else { throw SoakFailure("\(node.name): set-up write failed: \(exit.firstErrorLine)") }
                    acknowledged += write.expected.map { (node.index, $0) }
                }
            }
            for _ in 0..<2 { for node in nodes { _ = try await node.settle() } }

            // The soak: station loops writing and syncing through faulty proxies, and kills.
            for proxy in proxies { proxy.isEnabled = true }
            let flags = Flags()
            let chaosEnd = min(deadline - .seconds(min(90, options.seconds * 0.2)), ContinuousClock.now + .seconds(options.seconds))
            var tallies: [Tally] = []
            let stations = nodes
            try await withThrowingTaskGroup(of: Tally?.self) { group in
                for node in stations {
                    let workload = Workload(
                        station: node.index, township: node.township, county: county, townships: townships,
                        seed: options.seed &+ 1_000 &* UInt64(node.index + 1))
                    group.addTask { try await self.stationLoop(node, workload: workload, hubs: hubURLs, flags: flags) }
                }
                group.addTask {
                    try await self.chaos(hubs: hubs, cluster: cluster, nodes: stations, flags: flags, until: chaosEnd)
                    return nil
                }
                for try await tally in group { if let tally { tallies.append(tally) } }
            }
            for hub in hubs { figures.hubKillsByProcess.append(await hub.kills) }
            figures.hubKills = figures.hubKillsByProcess.reduce(0, +)
            figures.postgresRestarts = flags.postgresRestarts.load(ordering: .relaxed)

            // Clean link, hubs up, three rounds of sync for everyone, then the digests.
            for proxy in proxies { proxy.isEnabled = false }
            for hub in hubs { try await hub.start() }
            for _ in 0..<3 {
                for node in nodes {
                    do {
                        _ = try await node.settle()
                    } catch where hubs.count > 1 {
                        // A hub process that no longer answers this station is a failure of the run;
                        // say what was seen, restart every process and go on, so that the checks
                        // still say whether anything was lost.
                        figures.problems.append("\(error)\(await Self.diagnosis(of: node, hubs: hubURLs, cluster: cluster))")
                        for hub in hubs {
                            _ = await hub.kill9()
                            try await hub.start()
                        }
                        _ = try await node.settle()
                    }
                }
            }
            for node in nodes {
                let (digest, _) = try await node.run(["digest", "--hub", "--json"])
                let object = (try? digest.json()) as? [String: Any]
                if object?["match"] as? Bool == true {
                    figures.digestsEqual += 1
                } else {
                    figures.problems.append("\(node.name): digest \(object?["digest"] ?? "?") ≠ hub's view \(object?["hub"] ?? "?") \(digest.firstErrorLine)")
                }
                let (conflicts, _) = try await node.run(["conflicts", "--json"])
                figures.openConflicts += ((try? conflicts.json()) as? [Any])?.count ?? 0
            }
            for hub in hubs {
                await hub.stop()
                figures.problems += await hub.crashes
            }

            for tally in tallies {
                acknowledged += tally.acknowledged
                figures.writesByKind.merge(tally.writesByKind, uniquingKeysWith: +)
                figures.writesKilled += tally.writesKilled
                figures.refusedAtStation.merge(tally.refusedAtStation, uniquingKeysWith: +)
                figures.syncOutcomes.merge(tally.syncOutcomes, uniquingKeysWith: +)
                figures.stationKillsDuringSync += tally.killsDuringSync
                figures.stationKillsDuringWrite += tally.killsDuringWrite
                figures.syncsMovedToAnotherProcess += tally.upstreamSwitches
                figures.problems += tally.problems
            }
            figures.writesAcknowledged = figures.writesByKind.values.reduce(0, +)
            for proxy in proxies {
                for (kind, count) in proxy.injectedByKind { figures.faultsByKind[kind.rawValue, default: 0] += count }
            }
            let hubLog = if let cluster { try await LogFacts.postgres(cluster) } else { try LogFacts.sqlite(hubs[0].database) }
            SoakCheck.run(
                hub: hubLog,
                stations: try nodes.map { SoakCheck.Station(name: $0.name, site: $0.site, log: try LogFacts.sqlite($0.database)) },
                acknowledged: acknowledged, into: &figures)
            figures.elapsedSeconds = Self.seconds(ContinuousClock.now - started)
            figures.total()
            return figures
        }
    }

    /// Kills at random moments until enough kills landed or the time is up: a hub process
    /// (killed, then restarted on its port after a pause) or a station (its next process dies);
    /// on PostgreSQL also the server's restarts, spread evenly over the kills.
    ///
    /// Which kills go to the hub is dealt up front — its share of the kills, at least one when
    /// there are two or more — and shuffled by the seed: drawing each kill's target at random
    /// left some seeds with no hub kill at all in a short run.
    private func chaos(
        hubs: [HubNode], cluster: SoakPostgres?, nodes: [StationNode], flags: Flags, until end: ContinuousClock.Instant
    ) async throws {
        var random = SeededRandom(seed: options.seed ^ 0x5EED)
        let begin = ContinuousClock.now
        let window = Self.seconds(end - begin)
        let interval = max(0.05, window * 0.85 / Double(max(1, options.kills)))
        let hubKills = options.kills < 2 || options.hubKillShare <= 0
            ? 0 : max(1, Int((Double(options.kills) * options.hubKillShare).rounded()))
        var plan = Array(repeating: true, count: hubKills) + Array(repeating: false, count: max(0, options.kills - hubKills))
        for index in plan.indices.dropLast().reversed() {
            plan.swapAt(index, index + Int(random.next() % UInt64(plan.count - index)))
        }
        defer { flags.stop.store(true, ordering: .relaxed) }
        while ContinuousClock.now < end {
            var hubsKilled = 0
            for hub in hubs { hubsKilled += await hub.kills }
            let restarts = flags.postgresRestarts.load(ordering: .relaxed)
            let landed = hubsKilled + flags.stationKills.load(ordering: .relaxed) + restarts
            if landed >= options.kills { return }
            try await Task.sleep(for: .seconds(interval * Double.random(in: 0.5...1.5, using: &random)))
            // Server restarts are spread evenly over the kills, or over the time when kills are slow to land.
            let share = Double(restarts + 1) / Double(options.postgresRestarts + 1)
            if let cluster, restarts < options.postgresRestarts,
                Double(landed) >= Double(options.kills) * share || ContinuousClock.now >= begin + .seconds(window * share)
            {
                // The server goes away under hubs and stations in mid-sync, and comes back.
                try await cluster.restart(mode: restarts % 2 == 0 ? "immediate" : "fast")
                flags.postgresRestarts.add(1, ordering: .relaxed)
                continue
            }
            // Past the plan (a station kill still pending, the hub not running to be killed),
            // targets are drawn with the hub's share.
            let aimAtHub = plan.isEmpty ? random.chance(options.hubKillShare) : plan.removeFirst()
            if aimAtHub {
                let hub = hubs.count == 1 ? hubs[0] : hubs[Int(random.next() % UInt64(hubs.count))]
                _ = await hub.kill9()
                try await Task.sleep(for: .milliseconds(Int(random.next() % 600)))
                try await hub.start()
            } else {
                nodes[Int(random.next() % UInt64(nodes.count))].killPending.store(true, ordering: .relaxed)
            }
        }
    }

    /// One station's work until the chaos loop says stop: random writes and syncs, its
    /// process killed when a kill is pending for it. With several hub processes, a sync now
    /// and then goes to another one (as a load balancer may send it).
    private func stationLoop(_ node: StationNode, workload: Workload, hubs: [URL], flags: Flags) async throws -> Tally {
        var workload = workload
        var tally = Tally()
        var random = SeededRandom(seed: options.seed &+ 77 &* UInt64(node.index + 1))
        // Now and then the station works offline for a stretch of writes, as a township
        // station does: that is when concurrent edits, conflicts and refusals pile up.
        var offline = 0
        while !flags.stop.load(ordering: .relaxed) {
            let killing = node.killPending.load(ordering: .relaxed)
            if offline > 0 {
                offline -= 1
            } else if random.chance(0.04) {
                offline = 5 + Int(random.next() % 25)
            }
            // Most kills land in a sync: that is where a half-done exchange can hurt.
            if killing ? random.chance(0.75) : offline == 0 && random.chance(0.3) {
                if hubs.count > 1 && random.chance(0.25) {
                    node.proxy.upstream = hubs[Int(random.next() % UInt64(hubs.count))]
                    tally.upstreamSwitches += 1
                }
                let (exit, killed) = try await node.run(
                    ["sync", "--json", "--timeout", "5"], killAfter: killing ? Int(random.next() % 900) : nil)
                if killed {
                    tally.killsDuringSync += 1
                    node.killPending.store(false, ordering: .relaxed)
                    flags.stationKills.add(1, ordering: .relaxed)
                    tally.syncOutcomes["killed", default: 0] += 1
                } else {
                    let outcome = switch exit.status {
                    case 0: "ok"
                    case 3 where exit.firstErrorLine.hasPrefix("error: unavailable:"): "unavailable"
                    case 3: "unreachable"
                    case 6: "refused some"
                    default: "failed"
                    }
                    tally.syncOutcomes[outcome, default: 0] += 1
                    if outcome == "failed", tally.problems.count < 5 {
                        tally.problems.append("\(node.name): sync exited \(exit.status): \(exit.firstErrorLine)")
                    }
                }
                continue
            }
            let (write, township) = workload.next()
            let (exit, killed) = try await node.run(write.args, killAfter: killing ? Int(random.next() % 60) : nil)
            if killed {
                tally.writesKilled += 1
                tally.killsDuringWrite += 1
                node.killPending.store(false, ordering: .relaxed)
                flags.stationKills.add(1, ordering: .relaxed)
            } else if exit.succeeded {
                if write.expectsRefusal {
                    tally.problems.append("\(node.name): tributary \(write.args.joined(separator: " ")) was accepted, but must be refused")
                }
                tally.writesByKind[write.kind, default: 0] += 1
                tally.acknowledged += write.expected.map { (node.index, $0) }
                if let effect = write.effect { workload.remember(effect, township: township) }
            } else {
                tally.refusedAtStation[Self.code(of: exit), default: 0] += 1
            }
        }
        return tally
    }

    /// Why a station cannot settle, when there are several hub processes: whether a sync
    /// through each other process works, and what the database's sessions are doing.
    private static func diagnosis(of node: StationNode, hubs: [URL], cluster: SoakPostgres?) async -> String {
        guard let cluster, hubs.count > 1 else { return "" }
        var lines: [String] = []
        let stuck = node.proxy.upstream
        for hub in hubs where hub != stuck {
            node.proxy.upstream = hub
            let exit = try? await node.run(["sync", "--json", "--timeout", "20"]).exit
            lines.append("a sync through \(hub.absoluteString) exits \(exit.map { String($0.status) } ?? "?") \(exit?.firstErrorLine ?? "")")
        }
        node.proxy.upstream = stuck
        let sessions = try? await cluster.queryJSON("""
            SELECT coalesce(json_agg(json_build_array(pid, state, wait_event_type, wait_event, (now() - query_start)::text,
                left(query, 160))), '[]') FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            """)
        for session in sessions ?? [] { lines.append("session \(session)") }
        return "\n" + lines.joined(separator: "\n")
    }

    /// The error code of a failed command (`error: CODE: message` on stderr).
    private static func code(of exit: ToolResult) -> String {
        let line = exit.firstErrorLine
        guard line.hasPrefix("error: ") else { return "exit \(exit.status)" }
        return String(line.dropFirst("error: ".count).prefix { $0 != ":" })
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
