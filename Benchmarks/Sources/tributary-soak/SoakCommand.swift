import ArgumentParser
import Foundation

/// `tributary-soak`: the fault-injection soak — a real hub and real stations, random writes
/// of every merge policy, kill -9 of the hub and the stations at random moments, a proxy
/// that loses, delays, cuts and doubles requests; then checks that nothing was lost or
/// applied twice and that every replica agrees with the hub.
@main
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary-soak",
        abstract: "Fault-injection soak: kill -9 and a faulty link against a real hub and real stations.",
        discussion: """
            Runs everything on 127.0.0.1 with the built tributary and tributary-hub executables. Ends when \
            --kills kills have landed or --seconds have passed, then syncs on a clean link and checks. Exit \
            status 0 when nothing was lost or duplicated and every digest is equal; 1 otherwise.
            Examples:
              tributary-soak --kills 100 --seconds 540
              tributary-soak --kills 15 --seconds 60 --stations 6 --seed 42 --json figures.json
              tributary-soak --postgres --kills 100 --seconds 540    # three hub processes on PostgreSQL
            With --postgres the driver starts a throw-away PostgreSQL cluster of its own (Debian's postgresql: \
            initdb and pg_ctl in /usr/lib/postgresql/*/bin, run as the postgres user when root), runs \
            --hub-processes serve processes on one database with the stations spread over them, restarts \
            the server --postgres-restarts times while stations sync, reads the checks from PostgreSQL, \
            and removes the cluster at the end.
            """)

    @Option(help: "How many kill -9 to deliver (hub and stations).") var kills = 100
    @Option(help: "The longest the run may take, in seconds.") var seconds = 540.0
    @Option(help: "The seed of every random choice (default: a fresh one, printed).") var seed: UInt64?
    @Option(help: "How many stations: one per township plus one county station (at least 2).") var stations = 6
    @Option(help: "The share of requests each proxy injects a fault into (0–1).") var faultRate = 0.25
    @Option(help: ArgumentHelp("Where tributary and tributary-hub are (default: beside this executable).", valueName: "DIR"))
    var binDir: String?
    @Option(help: ArgumentHelp("Where the hub, the replicas and tool output go (default: a new temporary directory).", valueName: "DIR"))
    var workDir: String?
    @Option(help: ArgumentHelp("The org tree to import (default: Protocol/examples/sample-county.csv).", valueName: "CSV"))
    var county: String?
    @Option(help: ArgumentHelp("Also write the figures as JSON to this file.", valueName: "FILE")) var json: String?
    @Flag(help: "Keep the work directory even when the run passes.") var keep = false
    @Flag(help: "Run the hub on PostgreSQL: a throw-away cluster, several hub processes on one database.") var postgres = false
    @Option(help: "With --postgres: how many tributary-hub serve processes share the database.") var hubProcesses = 3
    @Option(help: "With --postgres: how many times the server restarts during the run (immediate, then fast).")
    var postgresRestarts = 1

    func validate() throws {
        guard kills >= 0 else { throw ValidationError("--kills cannot be negative") }
        guard seconds >= 10 else { throw ValidationError("--seconds is at least 10") }
        guard stations >= 2 else { throw ValidationError("--stations is at least 2 (a township and the county)") }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate is between 0 and 1") }
        guard hubProcesses >= 1 else { throw ValidationError("--hub-processes is at least 1") }
        guard postgresRestarts >= 0 else { throw ValidationError("--postgres-restarts cannot be negative") }
    }

    func run() async throws {
        let seed = seed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let bin = binDir.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let work = URL(fileURLWithPath: workDir ?? NSTemporaryDirectory()).appendingPathComponent(workDir == nil ? "tributary-soak-\(seed)-\(getpid())" : "")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        SoakCleanup.installSignalHandlers()
        let store = postgres ? "\(hubProcesses) hub processes on PostgreSQL" : "one hub on SQLite"
        // Unbuffered, so that it shows even when the run is cut short.
        FileHandle.standardOutput.write(Data("soak: seed \(seed), \(stations) stations, \(store), \(kills) kills, at most \(Int(seconds)) s; work in \(work.path)\n".utf8))
        var options = SoakRun.Options(
            kills: kills, seconds: seconds, seed: seed, stations: stations, faultRate: faultRate, binDirectory: bin,
            workDirectory: work, countyCSV: county ?? root.appendingPathComponent("Protocol/examples/sample-county.csv").path)
        options.postgres = postgres
        options.hubProcesses = hubProcesses
        options.postgresRestarts = postgresRestarts
        let figures: SoakFigures
        do {
            figures = try await SoakRun(options: options).run()
        } catch {
            FileHandle.standardError.write(Data("error: soak: \(error) (seed \(seed); files in \(work.path))\n".utf8))
            throw ExitCode.failure
        }
        print(figures.text)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(figures).write(to: URL(fileURLWithPath: json))
        }
        if figures.passed && !keep { try? FileManager.default.removeItem(at: work) }
        if !figures.passed {
            FileHandle.standardError.write(Data("error: soak failed (seed \(seed); files kept in \(work.path))\n".utf8))
            throw ExitCode.failure
        }
    }
}
