import Foundation

/// `perf record` (software cpu-clock sampling, call graphs) attached to a process for a fixed
/// window at the start of a measurement; `perf report -i OUTPUT` reads it afterwards.
///
/// perf ends the recording by itself (`-- sleep SECONDS`): stopping it with SIGINT at the end
/// of a long run left it hanging twice (it never finished writing), so the profile covers the
/// first `seconds` of the measurement, and ``stop()`` waits a bounded time, then kills perf.
final class Profiler: @unchecked Sendable {
    private let process = Process()
    private let seconds: Int

    init?(pid: Int32, output: String, seconds: Int = 15) {
        self.seconds = seconds
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "perf", "record", "-e", "cpu-clock", "-F", "499", "-g", "-p", String(pid), "-o", output, "--", "sleep", String(seconds),
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
    }

    /// Waits for perf to finish its window and write the file (at most a minute more), then
    /// kills it if it has not.
    func stop() {
        let deadline = Date().addingTimeInterval(Double(seconds) + 60)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
