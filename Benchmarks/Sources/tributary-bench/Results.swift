import Foundation

/// One measured figure: every run's value, summarised as median, min and max, with the
/// issue's target beside it.
struct Figure: Codable, Sendable {
    /// A stable key, e.g. `ingest.changesPerSecond`.
    var key: String
    /// What is measured, for people.
    var title: String
    /// The unit, e.g. `changes/s`, `ms`, `MB`.
    var unit: String
    /// Each run's value.
    var samples: [Double]
    /// The target, if the issue sets one.
    var target: Target?
    /// Sizes and conditions of the measurement.
    var detail: String

    /// A target: a bound that the median must meet, and an aim.
    struct Target: Codable, Sendable {
        /// `atLeast` (higher is better) or `below` (lower is better).
        var direction: String
        var bound: Double
        var aim: Double?
    }

    var median: Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
    var min: Double { samples.min() ?? .nan }
    var max: Double { samples.max() ?? .nan }

    /// Whether the median meets the target (`nil` without one).
    var met: Bool? {
        guard let target else { return nil }
        return target.direction == "atLeast" ? median >= target.bound : median < target.bound
    }
    /// Whether the median reaches the aim too.
    var aimed: Bool? {
        guard let target, let aim = target.aim else { return nil }
        return target.direction == "atLeast" ? median >= aim : median < aim
    }

    static func atLeast(_ bound: Double, aim: Double? = nil) -> Target { Target(direction: "atLeast", bound: bound, aim: aim) }
    static func below(_ bound: Double, aim: Double? = nil) -> Target { Target(direction: "below", bound: bound, aim: aim) }
}

/// Everything a bench run produced: machine, date, commit, figures and checks.
struct BenchResults: Codable, Sendable {
    struct Machine: Codable, Sendable {
        var cores: Int
        var cpu: String
        var memoryGB: Double
        var os: String
    }
    var machine: Machine
    var date: String
    var commit: String
    var mode: String
    var runs: Int
    var figures: [Figure]
    /// Correctness checks made along the way (digests equal, nothing refused…), each with its outcome.
    var checks: [String: Bool]
    /// The PostgreSQL server's version and the settings not at their defaults (the comparison only).
    var postgres: String?

    static func machine() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?" } ?? "unknown"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let kb = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal") }
            .flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Double($0) } } ?? 0
        let os = ((try? String(contentsOfFile: "/proc/version", encoding: .utf8)) ?? "Linux").split(separator: "(").first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "Linux"
        return Machine(
            cores: ProcessInfo.processInfo.activeProcessorCount, cpu: model ?? "unknown", memoryGB: (kb / 1_048_576 * 10).rounded() / 10,
            os: os)
    }
}

/// Collects the samples of each figure across runs.
struct FigureBook {
    private(set) var figures: [Figure] = []
    private(set) var checks: [String: Bool] = [:]

    mutating func add(_ key: String, _ title: String, unit: String, value: Double, target: Figure.Target? = nil, detail: String = "") {
        if let index = figures.firstIndex(where: { $0.key == key }) {
            figures[index].samples.append(value)
            if !detail.isEmpty { figures[index].detail = detail }
        } else {
            figures.append(Figure(key: key, title: title, unit: unit, samples: [value], target: target, detail: detail))
        }
        print(String(format: "  %@ = %.4g %@", key, value, unit))
    }

    mutating func check(_ name: String, _ passed: Bool) {
        checks[name] = (checks[name] ?? true) && passed
        if !passed { print("  CHECK FAILED: \(name)") }
    }
}
