import Foundation
import TributaryTestSupport

#if canImport(Glibc)
import Glibc
#endif

extension ToolResult {
    /// stdout parsed as one JSON object.
    func jsonObject() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else { throw CLIRunner.Failure("stdout is not a JSON object: \(stdout)") }
        return object
    }
}

/// Runs the package's built executables (`tributary`, `tributary-hub`) as subprocesses.
///
/// Executables are looked up in `$TRIBUTARY_BIN_DIR`, else beside the running test bundle
/// (the build products directory), else in `<repo>/.build/debug`.
enum CLIRunner {
    /// An error of the runner itself.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The repository root: this file is `Tests/EndToEndTests/CLIRunner.swift`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The path of a built executable.
    static func executable(_ name: String) throws -> URL {
        var candidates: [URL] = []
        if let dir = ProcessInfo.processInfo.environment["TRIBUTARY_BIN_DIR"] {
            candidates.append(URL(fileURLWithPath: dir))
        }
        if let running = Bundle.main.executableURL {
            candidates.append(running.deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(root.appendingPathComponent(".build/debug"))
        for dir in candidates {
            let url = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw Failure("no built \(name) in \(candidates.map(\.path)); run `swift build` first")
    }

    /// Runs a tool to completion.
    ///
    /// - Parameters:
    ///   - env: variables added to (or replacing) this process's environment.
    ///   - stdin: text fed to the tool's standard input (none: an empty input).
    static func runTool(name: String, args: [String], env: [String: String] = [:], stdin: String? = nil) throws -> ToolResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        for url in [outURL, errURL] { FileManager.default.createFile(atPath: url.path, contents: nil) }
        FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))

        let process = Process()
        process.executableURL = try executable(name)
        process.arguments = args
        process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let input = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        try? input.close()
        return ToolResult(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs blocking process work on a thread of its own, so that a test waiting for a tool does
    /// not hold one of the few threads of the concurrency pool that in-process hubs of other
    /// tests need.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Starts a tool whose stdin and stderr the test drives while it runs.
    static func startTool(name: String, args: [String], env: [String: String] = [:]) throws -> RunningTool {
        try RunningTool(executable: executable(name), args: args, env: env)
    }
}

/// A tool process the test talks to while it runs: it writes its stdin, reads its stderr
/// line by line, and may kill it.
final class RunningTool {
    let process = Process()
    private let stdinPipe = Pipe()
    private let stderrPipe = Pipe()
    private let stdoutPipe = Pipe()
    private var stderrBuffer = ""

    init(executable: URL, args: [String], env: [String: String]) throws {
        process.executableURL = executable
        process.arguments = args
        process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        process.standardInput = stdinPipe
        process.standardError = stderrPipe
        process.standardOutput = stdoutPipe
        try process.run()
    }

    /// Writes text to the tool's stdin.
    func write(_ text: String) throws {
        try stdinPipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// Reads stderr until a line containing `needle` arrives; `false` if stderr ends first.
    func waitForError(containing needle: String) -> Bool {
        while !stderrBuffer.contains(needle) {
            let data = stderrPipe.fileHandleForReading.availableData
            if data.isEmpty { return false }
            stderrBuffer += String(decoding: data, as: UTF8.self)
        }
        return true
    }

    /// Sends SIGKILL: the process dies at once, in the middle of whatever it was doing.
    func kill9() {
        _ = kill(process.processIdentifier, SIGKILL)
    }

    /// Closes stdin, reads what the tool still writes until it ends, and returns all of it.
    func result() -> ToolResult {
        try? stdinPipe.fileHandleForWriting.close()
        let stdout = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        stderrBuffer += String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return ToolResult(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: stdout, as: UTF8.self), stderr: stderrBuffer)
    }

    /// Closes stdin and waits for the process to end.
    func wait() -> (status: Int32, killedBySignal: Bool) {
        try? stdinPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }
}
