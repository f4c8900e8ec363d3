public import Prometheus
import SyncModel

/// The hub's metrics, kept in a registry the application owns (no global bootstrap), and
/// exported as Prometheus text at `/metrics`.
public struct HubMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    let pushes: Counter
    let applied: Counter
    let refused: Counter
    let duplicates: Counter
    let pulled: Counter
    let snapshotRecords: Counter
    let rateLimitedTokens: Counter
    let rateLimitedFailedAuth: Counter
    let writable: Gauge
    let rateLimitedTurns: Counter

    /// Creates the hub's metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.pushes = registry.makeCounter(
            descriptor: .init(metricName: "tributary_push", unitName: "total", helpText: "Push requests accepted"))
        let changes = MetricNameDescriptor(
            metricName: "tributary_push_changes", unitName: "total", helpText: "Pushed changes by what the hub made of them")
        self.applied = registry.makeCounter(descriptor: changes, labels: [("result", "applied")])
        self.refused = registry.makeCounter(descriptor: changes, labels: [("result", "refused")])
        self.duplicates = registry.makeCounter(descriptor: changes, labels: [("result", "duplicate")])
        self.pulled = registry.makeCounter(
            descriptor: .init(metricName: "tributary_pull_changes", unitName: "total", helpText: "Changes sent by pulls"))
        self.snapshotRecords = registry.makeCounter(
            descriptor: .init(metricName: "tributary_snapshot_records", unitName: "total", helpText: "Records sent by snapshots"))
        let limited = MetricNameDescriptor(
            metricName: "tributary_rate_limited", unitName: "total", helpText: "Requests answered 429 rate_limited, by limit")
        self.rateLimitedTokens = registry.makeCounter(descriptor: limited, labels: [("limit", "token")])
        self.rateLimitedFailedAuth = registry.makeCounter(descriptor: limited, labels: [("limit", "failed_auth")])
        self.rateLimitedTurns = registry.makeCounter(descriptor: limited, labels: [("limit", "turn")])
        self.writable = registry.makeGauge(
            descriptor: .init(
                metricName: "tributary_store_writable", helpText: "1 when the hub's database can store pushes, 0 when they are refused read_only or disk_full"))
        self.writable.set(Double(1))
        registry.makeGauge(
            descriptor: .init(metricName: "tributary_build_info", helpText: "The hub's software version (always 1)"),
            labels: [("version", SoftwareVersion.current)]
        ).set(Double(1))
    }

    /// Sets `tributary_store_writable`.
    func storeWritable(_ writable: Bool) {
        self.writable.set(Double(writable ? 1 : 0))
    }

    /// Counts a 429 of the per-token (`token`), per-address (`failed_auth`) or
    /// requests-in-progress-per-station (`turn`) limit.
    func rateLimited(limit: String) {
        switch limit {
        case "token": rateLimitedTokens.increment()
        case "turn": rateLimitedTurns.increment()
        default: rateLimitedFailedAuth.increment()
        }
    }

    /// The latency histogram of one endpoint.
    func latency(_ endpoint: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "tributary_request_duration", unitName: "seconds", helpText: "Request latency by endpoint"),
            labels: [("endpoint", endpoint)],
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)])
    }

    /// Records a station's contact (seconds since the epoch).
    func contact(station: String, millis: UInt64) {
        registry.makeGauge(
            descriptor: .init(metricName: "tributary_station_last_contact", unitName: "seconds", helpText: "When each station was last in contact"),
            labels: [("station", station)]
        ).set(Double(millis) / 1000)
    }
}
