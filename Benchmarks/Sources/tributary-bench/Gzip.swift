import Foundation

/// gzip through the `gzip` tool: level 6 (zlib's and CompressNIO's default) is what a
/// station's HTTP transport sends, level 1 what the hub answers with.
enum Gzip {
    /// Compresses `data` at `level`.
    static func compress(_ data: Data, level: Int = 6) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-gzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("body")
        try data.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-\(level)", "-n", input.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("gzip failed") }
        return try Data(contentsOf: directory.appendingPathComponent("body.gz"))
    }
}
