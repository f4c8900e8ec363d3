import Foundation

/// gzip at the default level (6, as zlib and CompressNIO use), through the `gzip` tool, so
/// that sizes and request bodies are what a station's HTTP transport sends.
enum Gzip {
    /// Compresses `data`.
    static func compress(_ data: Data) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-gzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("body")
        try data.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-6", "-n", input.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("gzip failed") }
        return try Data(contentsOf: directory.appendingPathComponent("body.gz"))
    }
}
