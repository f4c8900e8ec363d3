import Logging
import NIOCore
import Prometheus
import Synchronization

/// What every connection of one hub shares (SPEC §10 "Connections"): the deadlines, the count
/// of open connections per client address with its cap, the metrics, and a log that says when
/// a limit bites without letting a flood of closed sockets flood the log too.
///
/// The cap counts TCP peers: a connection is refused before a byte of it is read, so there is
/// no `X-Forwarded-For` to go by. Behind a reverse proxy every connection is the proxy's, and
/// the cap bounds the proxy's connections to the hub (set it above them, or 0 for off, and let
/// the proxy limit its clients).
final class ConnectionLimits: Sendable {
    /// The header, idle and body deadlines.
    let deadlines: ConnectionDeadlines.Settings
    /// Connections one client address may hold at once; 0 means no cap.
    let maxPerAddress: Int
    let logger: Logger
    private let counts = Mutex(Counts())
    private let closedByLimit: [String: Counter]
    private let openGauge: Gauge
    private let refusedPerAddress: Counter
    /// The shortest time between two log lines about one limit.
    static let logInterval: Duration = .seconds(10)

    private struct Counts {
        var byAddress: [String: Int] = [:]
        var open = 0
        /// Per limit: when it was last logged and how often it bit since.
        var logged: [String: (at: ContinuousClock.Instant, unlogged: Int)] = [:]
    }

    init(configuration: HubConfiguration, metrics: HubMetrics, logger: Logger) {
        var settings = ConnectionDeadlines.Settings()
        settings.header = Self.amount(configuration.headerTimeout)
        settings.idle = Self.amount(configuration.idleTimeout)
        settings.bodyGrace = Self.amount(configuration.bodyTimeout)
        settings.minBodyRate = max(1, configuration.minBodyRate)
        self.deadlines = settings
        self.maxPerAddress = max(0, configuration.maxConnectionsPerAddress)
        self.logger = logger
        let closed = MetricNameDescriptor(
            metricName: "tributary_connections_closed", unitName: "total",
            helpText: "Connections the hub closed or refused because a limit bit, by limit")
        var byLimit: [String: Counter] = [:]
        for limit in [ConnectionDeadlines.Limit.header, .idle, .body] {
            byLimit[limit.rawValue] = metrics.registry.makeCounter(descriptor: closed, labels: [("limit", limit.rawValue)])
        }
        self.closedByLimit = byLimit
        self.refusedPerAddress = metrics.registry.makeCounter(descriptor: closed, labels: [("limit", "per_address")])
        self.openGauge = metrics.registry.makeGauge(
            descriptor: .init(metricName: "tributary_connections_open", helpText: "HTTP connections open now"))
    }

    static func amount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64((max(0.001, seconds) * 1e9).rounded()))
    }

    /// Counts a new connection from `address`; `false` (and nothing counted) when the address
    /// already holds its cap.
    func opened(_ address: String) -> Bool {
        let open = counts.withLock { counts -> Int? in
            let held = counts.byAddress[address, default: 0]
            guard maxPerAddress == 0 || held < maxPerAddress else { return nil }
            counts.byAddress[address] = held + 1
            counts.open += 1
            return counts.open
        }
        guard let open else {
            refusedPerAddress.increment()
            note("per_address", level: .notice, address: address)
            return false
        }
        openGauge.set(Double(open))
        return true
    }

    /// Counts a connection of `address` closed (one that ``opened(_:)`` counted).
    func closed(_ address: String) {
        let open = counts.withLock { counts -> Int in
            let held = counts.byAddress[address, default: 1] - 1
            counts.byAddress[address] = held > 0 ? held : nil
            counts.open -= 1
            return counts.open
        }
        openGauge.set(Double(open))
    }

    /// Connections open now (tests and benchmarks).
    var openConnections: Int { counts.withLock { $0.open } }

    /// Counts a connection closed because it ran out of `limit`, and logs it (idle
    /// connections closing is routine: debug only).
    func expired(_ limit: ConnectionDeadlines.Limit, address: String) {
        closedByLimit[limit.rawValue]?.increment()
        note(limit.rawValue, level: limit == .idle ? .debug : .notice, address: address)
    }

    /// Logs `hub.connection.closed` with the limit, the client address and how many more
    /// times the limit bit since its last line — at most one line per limit every
    /// ``logInterval`` (the metric counts every one).
    private func note(_ limit: String, level: Logger.Level, address: String) {
        guard logger.logLevel <= level else { return }
        let now = ContinuousClock.now
        let unlogged = counts.withLock { counts -> Int? in
            if let last = counts.logged[limit], now - last.at < Self.logInterval {
                counts.logged[limit] = (last.at, last.unlogged + 1)
                return nil
            }
            let unlogged = counts.logged[limit]?.unlogged ?? 0
            counts.logged[limit] = (now, 0)
            return unlogged
        }
        guard let unlogged else { return }
        logger.log(
            level: level, "hub.connection.closed",
            metadata: [
                "hub.limit": "\(limit)", "hub.client": "\(address)", "hub.limit.unlogged": "\(unlogged)",
                "hub.limit.max_per_address": "\(maxPerAddress)",
            ])
    }
}
