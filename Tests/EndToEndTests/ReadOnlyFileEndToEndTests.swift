import Foundation
import Testing
import TributaryTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A station replica and a hub file that may not be written — the file 0444 in a 0555 folder —
/// are read by every reading command and refuse every write with `read_only` (SPEC §16).
///
/// Root ignores file permissions, and CI runs as root: there the executables run as `nobody`
/// through `setpriv` (util-linux), so the permissions apply as they do for a clerk's account.
@Suite("Read-only files end to end (processes)", .serialized, .ownThreads)
struct ReadOnlyFileEndToEndTests {
    /// How the tools are run unprivileged here, or why they cannot be.
    static let runner: Result<Unprivileged, CLIRunner.Failure> = Unprivileged.make()

    @Test(
        "reads work on a read-only station replica and hub file; writes fail with read_only",
        .enabled(if: (try? runner.get()) != nil || ProcessInfo.processInfo.environment["CI"] == "true",
                 "cannot run the tools unprivileged: \(String(describing: runner))"))
    func readOnlyFiles() throws {
        let run = try Self.runner.get()
        // Given a station replica with a member and a hub file with the county and a station,
        // both 0444 in a 0555 folder
        let directory = TemporaryDirectory("e2e-ro")
        let folder = directory.path("files")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let station = StationProcess(database: folder + "/station.db", name: "s")
        try station.ok("init", "--org", "yc-t01")
        try OrgTreeSeed.install(OrgTreeSeed.township, into: station.database)
        try station.ok("put", "member", "m-1", "name=林秀英", "orgUnitId=yc-t01", "category=retired")
        let hub = try HubProcess(database: folder + "/hub.db")
        let token = try hub.addStation(org: "yc-t01", name: "桃城镇")
        for file in [station.database, hub.database] { #expect(chmod(file, 0o444) == 0) }
        #expect(chmod(folder, 0o555) == 0)
        defer { _ = chmod(folder, 0o755) }
        let before = [station.database, hub.database].map { StoreFiles.bytes($0) }

        // When every reading command runs / Then it works
        for args in [["status"], ["get", "member", "m-1"], ["list", "member"], ["dump"], ["digest"], ["log"], ["conflicts"]] {
            let result = try run.tool("tributary", ["--db", station.database] + args)
            #expect(result.status == 0, "tributary \(args): \(result.stderr)")
        }
        #expect(try run.tool("tributary", ["--db", station.database, "get", "member", "m-1"]).stdout.contains("林秀英"))
        for args in [["station", "list"], ["report", "members"], ["org", "list"], ["digest"]] {
            let result = try run.tool("tributary-hub", args + ["--db", hub.database])
            #expect(result.status == 0, "tributary-hub \(args): \(result.stderr)")
        }

        // And writes fail with read_only, one line each
        for (tool, args) in [
            ("tributary", ["--db", station.database, "put", "member", "m-2", "name=王建国", "orgUnitId=yc-t01", "category=direct"]),
            ("tributary-hub", ["station", "add", "--db", hub.database, "--org", "yc-t01", "--name", "b"]),
        ] {
            let result = try run.tool(tool, args)
            #expect(result.status == 1 && result.errorLines.count == 1 && result.firstErrorLine.hasPrefix("error: read_only: "), "\(tool) \(args): \(result.stderr)")
        }

        // When the hub serves from its read-only file / Then a station bootstraps and pulls, and its push is refused read_only
        let serve = try run.start("tributary-hub", ["serve", "--db", hub.database, "--port", "0", "--log-level", "error"])
        defer { serve.terminate(); serve.waitUntilExit() }
        let url = try Unprivileged.listeningURL(serve)
        let reader = StationProcess(database: directory.path("reader.db"), name: "reader")
        try reader.ok("init", "--hub", url, "--token", token)
        try reader.ok("sync")
        #expect(try reader.ok("get", "orgUnit", "yc-t01", "--json").contains("桃城镇"))
        try reader.ok("put", "member", "m-9", "name=王建国", "orgUnitId=yc-t01", "category=direct")
        let push = try reader.run(["sync"])
        #expect(push.status != 0 && push.stderr.contains("read_only"), "\(push.stderr)")

        // And not a byte of either file changed
        #expect([station.database, hub.database].map { StoreFiles.bytes($0) } == before)
    }
}

/// Runs the built tools as `nobody` when this process is root (permissions do not stop root),
/// as itself otherwise.
struct Unprivileged {
    /// The command prefix (`setpriv …`), empty when not root.
    let prefix: [String]

    static func make() -> Result<Unprivileged, CLIRunner.Failure> {
        guard geteuid() == 0 else { return .success(Unprivileged(prefix: [])) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            return .failure(CLIRunner.Failure("running as root and /usr/bin/setpriv (util-linux) is missing"))
        }
        return .success(Unprivileged(prefix: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]))
    }

    /// The tool's path, copied where `nobody` may run it if its own folder is closed to others.
    func executable(_ name: String) throws -> String {
        let path = try CLIRunner.executable(name).path
        guard !prefix.isEmpty, !Self.openToOthers(path) else { return path }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-ro-bin-\(getpid())")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        let target = copy.appendingPathComponent(name).path
        if !FileManager.default.fileExists(atPath: target) { try FileManager.default.copyItem(atPath: path, toPath: target) }
        _ = chmod(copy.path, 0o755)
        _ = chmod(target, 0o755)
        return target
    }

    /// Whether every folder above `path` may be searched by others and the file run by them.
    static func openToOthers(_ path: String) -> Bool {
        // Through FileManager, not stat(): with NIO's modules in the test target (the station's
        // HTTP client), glibc's `struct stat` resolves to another clang module than Glibc.
        func mode(_ path: String) -> Int? {
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue
        }
        var url = URL(fileURLWithPath: path)
        guard let file = mode(url.path), file & 0o005 == 0o005 else { return false }
        while url.path != "/" {
            url.deleteLastPathComponent()
            guard let folder = mode(url.path), folder & 0o001 != 0 else { return false }
        }
        return true
    }

    /// Runs a tool to completion.
    func tool(_ name: String, _ args: [String]) throws -> ToolResult {
        let process = try start(name, args, stdout: true)
        let out = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        let err = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolResult(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Starts a tool with stdout and stderr piped.
    func start(_ name: String, _ args: [String], stdout: Bool = true) throws -> Process {
        let process = Process()
        let command = prefix + [try executable(name)] + args
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The URL a started `serve` prints (`listening on …`).
    static func listeningURL(_ serve: Process) throws -> String {
        let handle = (serve.standardOutput as! Pipe).fileHandleForReading
        var text = ""
        while !text.contains("\n") {
            let data = handle.availableData
            if data.isEmpty {
                let log = String(decoding: (serve.standardError as! Pipe).fileHandleForReading.availableData, as: UTF8.self)
                throw CLIRunner.Failure("the hub exited before listening: \(log)")
            }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) else {
            throw CLIRunner.Failure("unexpected hub output: \(text)")
        }
        return String(line.dropFirst("listening on ".count))
    }
}
