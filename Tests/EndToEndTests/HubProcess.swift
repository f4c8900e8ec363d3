import Foundation
import TributaryTestSupport

/// A real `tributary-hub serve` process on a loopback port, for process-level tests.
final class HubProcess {
    /// The hub's SQLite file.
    let database: String
    /// The hub's base URL, e.g. `http://127.0.0.1:41234`.
    private(set) var url = ""
    /// The port the hub listens on (kept across restarts).
    private(set) var port = 0
    private var process: Process?
    private let logPath: String
    /// Flags added to `serve` (limits, log level).
    var serveArguments: [String] = ["--log-level", "warning"]

    /// Creates (and imports the sample county into) a hub database, without starting it.
    /// `database` is a file or a `postgres://` URL (then `logPath` says where its log goes).
    ///
    /// - Parameter logPath: where the hub's stderr goes (default: beside the database).
    init(database: String, importSampleCounty: Bool = true, logPath: String? = nil) throws {
        self.database = database
        self.logPath = logPath ?? database + ".log"
        FileManager.default.createFile(atPath: self.logPath, contents: nil)
        if importSampleCounty {
            let sample = CLIRunner.root.appendingPathComponent("Protocol/examples/sample-county.csv").path
            try Self.check(try CLIRunner.runTool(name: "tributary-hub", args: ["org", "import", "--db", database, sample]))
        }
    }

    /// Registers a station and returns its token.
    func addStation(org: String, name: String) throws -> String {
        let result = try CLIRunner.runTool(
            name: "tributary-hub", args: ["station", "add", "--db", database, "--org", org, "--name", name, "--json"])
        try Self.check(result)
        guard let token = try result.jsonObject()["token"] as? String else { throw CLIRunner.Failure("no token in \(result.stdout)") }
        return token
    }

    /// Starts the hub (on a free port the first time, on the same port after a restart) and
    /// waits until it says it listens.
    ///
    /// - Parameters:
    ///   - arguments: the command line instead of `serve --db … --port … --log-level warning`.
    ///   - environment: variables added to this process's environment.
    func start(arguments: [String]? = nil, environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = try CLIRunner.executable("tributary-hub")
        process.arguments = arguments ?? ["serve", "--db", database, "--port", String(port)] + serveArguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let stdout = Pipe()
        process.standardOutput = stdout
        let logFile = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = logFile
        try process.run()
        // The hub has its own copy now. Ours would stay open for writing until the Process
        // object goes, and be inherited by every process another test starts meanwhile: a
        // file open for writing keeps a volume from being remounted read-only ("busy").
        try? logFile.close()
        self.process = process
        var text = ""
        while !text.contains("\n") {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { throw CLIRunner.Failure("the hub exited before listening; log: \(log())") }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) else {
            throw CLIRunner.Failure("unexpected hub output: \(text)")
        }
        url = String(line.dropFirst("listening on ".count))
        port = Int(url.split(separator: ":").last ?? "") ?? 0
    }

    /// Stops the hub gracefully (SIGTERM) and waits for it.
    func stop() {
        guard let process else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// Kills the hub at once (SIGKILL), wherever it is.
    func kill9() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// The hub's log so far (for failure messages).
    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Acknowledged seq of every station, from `station list --json`.
    func ackedByStation() throws -> [String: Int] {
        try Self.ackedByStation(database: database)
    }

    /// Acknowledged seq of station `name` of the hub file `database`.
    static func acked(database: String, station name: String) throws -> Int {
        try ackedByStation(database: database)[name] ?? 0
    }

    /// Acknowledged seq of every station of the hub file `database`.
    static func ackedByStation(database: String) throws -> [String: Int] {
        let result = try CLIRunner.runTool(name: "tributary-hub", args: ["station", "list", "--db", database, "--json"])
        try Self.check(result)
        var acked: [String: Int] = [:]
        for station in (try result.json() as? [[String: Any]]) ?? [] {
            if let name = station["name"] as? String { acked[name] = station["acked"] as? Int ?? 0 }
        }
        return acked
    }

    deinit { stop() }

    static func check(_ result: ToolResult) throws {
        guard result.status == 0 else { throw CLIRunner.Failure("exit \(result.status): \(result.stderr)") }
    }
}

/// A station replica driven through the real `tributary` executable.
struct StationProcess {
    /// The replica file.
    let database: String
    /// A name for messages.
    let name: String

    /// Runs `tributary --db <file> ARGS…`.
    @discardableResult
    func run(_ args: [String], stdin: String? = nil) throws -> ToolResult {
        try CLIRunner.runTool(name: "tributary", args: ["--db", database] + args, stdin: stdin)
    }

    /// Runs a command that must succeed and returns its trimmed stdout.
    @discardableResult
    func ok(_ args: String...) throws -> String {
        let result = try run(args)
        guard result.status == 0 else {
            throw CLIRunner.Failure("\(name): tributary \(args.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.output
    }

    /// The replica's digest and the hub's digest of its view.
    func digests() throws -> (local: String, hub: String) {
        let result = try run(["digest", "--hub", "--json"])
        let object = try result.jsonObject()
        return (object["digest"] as? String ?? "", object["hub"] as? String ?? "")
    }

    /// The open conflicts, as canonical lines `type/id.field version`.
    func conflicts() throws -> [String] {
        let result = try run(["conflicts", "--json"])
        guard result.status == 0, let list = try result.json() as? [[String: Any]] else {
            throw CLIRunner.Failure("\(name): conflicts --json failed: \(result.stderr)")
        }
        return list.map { "\($0["type"] ?? "")/\($0["id"] ?? "").\($0["field"] ?? "") \($0["version"] ?? "")" }.sorted()
    }
}
