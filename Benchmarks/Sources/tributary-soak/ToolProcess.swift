import Foundation
import Synchronization
import TributaryTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// One run of a built executable (`tributary`, `tributary-hub`) whose output goes to files,
/// awaited without blocking a thread, and that can be killed with SIGKILL at any moment.
final class ToolProcess: Sendable {
    private let process: Process
    private let outURL: URL
    private let errURL: URL
    private struct Waiting {
        var ended = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    /// The process's end and who waits for it (a box the termination handler can hold).
    private final class WaitingBox: Sendable {
        let state = Mutex(Waiting())
    }
    private let box = WaitingBox()
    private let keepOutput: Bool

    /// Starts `executable` with `args`; its output goes to `scratch`/`name`.out and .err.
    /// With `keepOutput` false the output files go once ``wait()`` has read them.
    init(executable: URL, args: [String], scratch: URL, name: String, keepOutput: Bool = false) throws {
        self.keepOutput = keepOutput
        outURL = scratch.appendingPathComponent("\(name).out")
        errURL = scratch.appendingPathComponent("\(name).err")
        for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        process = Process()
        process.executableURL = executable
        process.arguments = args
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let box = self.box
        process.terminationHandler = { _ in
            let waiters = box.state.withLock { state in
                state.ended = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        try process.run()
    }

    /// Whether the process has ended.
    var hasEnded: Bool { box.state.withLock { $0.ended } }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Sends SIGKILL; `true` when the process was still running to receive it.
    @discardableResult
    func kill9() -> Bool {
        guard !hasEnded else { return false }
        return kill(process.processIdentifier, SIGKILL) == 0
    }

    /// Sends SIGTERM (a graceful stop).
    func terminate() {
        guard !hasEnded else { return }
        _ = kill(process.processIdentifier, SIGTERM)
    }

    /// Waits for the process to end and returns its status and output.
    func wait() async -> ToolResult {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = box.state.withLock { state in
                if !state.ended { state.waiters.append(continuation) }
                return state.ended
            }
            if ended { continuation.resume() }
        }
        let exit = ToolResult(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        if !keepOutput {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        return exit
    }

    /// What the process wrote to stdout so far.
    func stdoutSoFar() -> String {
        (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    }
}
