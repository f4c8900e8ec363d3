import Foundation

/// `perf record` (software cpu-clock sampling, call graphs) attached to a process for the
/// duration of a measurement; `perf report -i OUTPUT` reads it afterwards.
final class Profiler: @unchecked Sendable {
    private let process = Process()

    init?(pid: Int32, output: String) {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["perf", "record", "-e", "cpu-clock", "-F", "999", "-g", "-p", String(pid), "-o", output]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
    }

    /// Stops recording (SIGINT, as perf expects) and waits for the file to be written.
    func stop() {
        guard process.isRunning else { return }
        process.interrupt()
        process.waitUntilExit()
    }
}
