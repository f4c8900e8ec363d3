import Foundation
import TributaryTestSupport

/// A real `tributary-hub serve` process of the soak: set up from the sample county,
/// killed with SIGKILL and restarted on the same port. On PostgreSQL several of them share
/// one database.
actor HubNode {
    /// The hub's `--db`: its SQLite file or its PostgreSQL URL.
    let database: String
    /// How the hub is named in problems ("the hub", "hub process 2").
    let name: String
    private let tools: Tools
    private var process: ToolProcess?
    /// The port it listens on (kept across restarts).
    private(set) var port = 0
    /// How many times the hub was killed while running.
    private(set) var kills = 0
    /// How the hub ended when no one killed it (each one is a failure of the run).
    private(set) var crashes: [String] = []

    init(database: String, tools: Tools, name: String = "the hub") {
        self.database = database
        self.name = name
        self.tools = tools
    }

    /// Imports the sample county into a new hub database.
    func importCounty(_ csv: String) async throws {
        try await tools.ok("tributary-hub", ["org", "import", "--db", database, csv])
    }

    /// Registers a station and returns its token.
    func addStation(org: String, name: String) async throws -> String {
        let exit = try await tools.ok("tributary-hub", ["station", "add", "--db", database, "--org", org, "--name", name, "--json"])
        guard let token = ((try? exit.json()) as? [String: Any])?["token"] as? String else {
            throw SoakFailure("station add printed no token: \(exit.stdout)")
        }
        return token
    }

    /// The hub's URL.
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Starts the hub (on a free port the first time, on the same port after) and waits until
    /// it says it listens.
    func start() async throws {
        if let process {
            guard process.hasEnded else { return }
            // Not killed by the soak: the hub died by itself.
            SoakCleanup.remove(process)
            let exit = await process.wait()
            crashes.append("\(name) exited by itself with status \(exit.status): \(exit.stderr.suffix(300))")
            self.process = nil
        }
        for attempt in 1...50 {
            let started = try tools.start(
                "tributary-hub", ["serve", "--db", database, "--port", String(port), "--log-level", "error"], keepOutput: true)
            while true {
                let text = started.stdoutSoFar()
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                    port = Int(line.split(separator: ":").last ?? "") ?? port
                    process = started
                    SoakCleanup.add(started) { started.kill9() }
                    return
                }
                if started.hasEnded { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            // The port may still be held for a moment after a kill: try again shortly.
            let exit = await started.wait()
            if attempt == 50 { throw SoakFailure("\(name) did not start: exit \(exit.status): \(exit.stderr.suffix(400))") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Kills the hub with SIGKILL wherever it is; `true` when it was running.
    func kill9() async -> Bool {
        guard let process else { return false }
        self.process = nil
        SoakCleanup.remove(process)
        let delivered = process.kill9()
        let exit = await process.wait()
        if delivered && exit.killedBySignal { kills += 1 }
        return delivered && exit.killedBySignal
    }

    /// Stops the hub gracefully.
    func stop() async {
        guard let process else { return }
        self.process = nil
        SoakCleanup.remove(process)
        process.terminate()
        _ = await process.wait()
    }
}
