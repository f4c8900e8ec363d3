import Foundation

/// The figures of one soak run, printed as text and written as JSON.
struct SoakFigures: Codable, Sendable {
    var seed: UInt64 = 0
    /// Where the hub kept its state: `sqlite` or `postgres`.
    var store = "sqlite"
    /// How many `tributary-hub serve` processes shared it.
    var hubProcesses = 1
    var stations = 0
    var elapsedSeconds = 0.0
    var killsRequested = 0
    var hubKills = 0
    /// The kills of each hub process.
    var hubKillsByProcess: [Int] = []
    /// How many times the PostgreSQL server restarted under the running hubs.
    var postgresRestarts = 0
    /// How many times a station's proxy was pointed at another hub process before a sync (a
    /// draw of 1 in 3 lands on the same one).
    var syncsMovedToAnotherProcess = 0
    var stationKillsDuringSync = 0
    var stationKillsDuringWrite = 0
    var faultsByKind: [String: Int] = [:]
    var writesAcknowledged = 0
    var writesByKind: [String: Int] = [:]
    var writesKilled = 0
    var refusedAtStation: [String: Int] = [:]
    var syncOutcomes: [String: Int] = [:]
    var changesWritten = 0
    var hubLogRows = 0
    var refusedByHub = 0
    var acknowledgedFieldsChecked = 0
    var acknowledgedFieldsRefusedByHub = 0
    var openConflicts = 0
    var lost = 0
    var duplicated = 0
    var digestsEqual = 0
    var problems: [String] = []

    /// Every kill -9 that landed (see ``total()``).
    var killsSurvived = 0
    /// Every fault the proxies injected.
    var faultsInjected = 0
    /// Whether the run passed: nothing lost or doubled, every digest equal, no problem.
    var passed = false

    /// Fills in the totals.
    mutating func total() {
        killsSurvived = hubKills + stationKillsDuringSync + stationKillsDuringWrite + postgresRestarts
        faultsInjected = faultsByKind.values.reduce(0, +)
        passed = lost == 0 && duplicated == 0 && digestsEqual == stations && problems.isEmpty
    }

    /// The figures as lines of text.
    var text: String {
        func list(_ counts: [String: Int]) -> String {
            counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        var lines = [
            "soak: seed \(seed), \(stations) stations, \(hubProcesses) hub process\(hubProcesses == 1 ? "" : "es") on \(store), \(String(format: "%.0f", elapsedSeconds)) s",
            "kills survived:   \(killsSurvived) (hub \(hubKills)\(hubProcesses > 1 ? " [\(hubKillsByProcess.map(String.init).joined(separator: "+"))]" : ""), station during sync \(stationKillsDuringSync), during a write \(stationKillsDuringWrite)\(store == "postgres" ? ", PostgreSQL restarts \(postgresRestarts)" : ""); asked for \(killsRequested))",
            "faults injected:  \(faultsInjected) (\(list(faultsByKind)))",
            "syncs:            \(list(syncOutcomes))\(hubProcesses > 1 ? "; hub process redrawn before \(syncsMovedToAnotherProcess)" : "")",
            "writes:           \(writesAcknowledged) acknowledged (\(list(writesByKind))); \(writesKilled) killed mid-write",
            "refused locally:  \(list(refusedAtStation))",
            "changes written:  \(changesWritten) (hub log \(hubLogRows) rows; refused by the hub \(refusedByHub); open conflicts \(openConflicts))",
            "acknowledged fields checked: \(acknowledgedFieldsChecked) (\(acknowledgedFieldsRefusedByHub) refused by the hub, listed)",
            "lost:             \(lost)",
            "duplicated:       \(duplicated)",
            "digests equal:    \(digestsEqual)/\(stations)",
        ]
        for problem in problems { lines.append("PROBLEM: \(problem)") }
        lines.append(passed ? "PASS" : "FAIL (replay with --seed \(seed))")
        return lines.joined(separator: "\n")
    }
}
