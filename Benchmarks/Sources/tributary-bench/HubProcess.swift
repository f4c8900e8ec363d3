import Foundation

/// The `tributary-hub` binary (release build) serving one hub file on a free loopback port,
/// as a process of its own so that its memory can be read from /proc.
final class HubProcess: @unchecked Sendable {
    let process = Process()
    /// The port it listens on.
    private(set) var port = 0
    private let output = Pipe()

    /// The hub's base URL.
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }
    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Starts `binary` serving `dbPath` and waits until it prints the port it listens on.
    init(binary: String, dbPath: String) throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no hub binary at \(binary); build it with `swift build -c release --product tributary-hub`")
        }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--db", dbPath, "--port", "0", "--log-level", "error"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        while !String(decoding: buffer, as: UTF8.self).contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchError("the hub exited before it listened") }
            buffer += chunk
        }
        let line = String(decoding: buffer, as: UTF8.self)
        guard let text = line.split(separator: ":").last?.prefix(while: \.isNumber), let port = Int(text) else {
            throw BenchError("the hub printed no port: \(line)")
        }
        self.port = port
    }

    /// A value of /proc/PID/status in kB (`VmHWM` peak resident set, `VmRSS` current).
    func status(_ key: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    /// Peak resident memory so far, in MB.
    var peakRSSMB: Double { Double(status("VmHWM")) / 1024 }

    /// CPU seconds the hub used so far (user + system), from /proc/PID/stat.
    var cpuSeconds: Double { ProcStat(pid: pid).map { $0.user + $0.system } ?? 0 }

    /// Stops the hub (SIGTERM, graceful) and waits for it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}
