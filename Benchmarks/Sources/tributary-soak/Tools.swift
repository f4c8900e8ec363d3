import Foundation
import TributaryTestSupport
import Synchronization

/// Where the built executables are, and a scratch directory for their output.
final class Tools: Sendable {
    /// The directory holding `tributary` and `tributary-hub`.
    let binDirectory: URL
    /// Where each run's stdout and stderr go.
    let scratch: URL
    private let counter = Atomic<Int>(0)

    init(binDirectory: URL, scratch: URL) throws {
        self.binDirectory = binDirectory
        self.scratch = scratch
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        for name in ["tributary", "tributary-hub"] {
            guard FileManager.default.isExecutableFile(atPath: binDirectory.appendingPathComponent(name).path) else {
                throw SoakFailure("no built \(name) in \(binDirectory.path); build first (swift build -c release) or pass --bin-dir")
            }
        }
    }

    /// Starts a tool; its output files are numbered so that runs never share them.
    func start(_ name: String, _ args: [String], keepOutput: Bool = false) throws -> ToolProcess {
        let number = counter.add(1, ordering: .relaxed).newValue
        return try ToolProcess(
            executable: binDirectory.appendingPathComponent(name), args: args, scratch: scratch, name: "\(number)-\(name)",
            keepOutput: keepOutput)
    }

    /// Runs a tool to completion.
    func run(_ name: String, _ args: [String]) async throws -> ToolResult {
        try await start(name, args).wait()
    }

    /// Runs a tool that must succeed.
    @discardableResult
    func ok(_ name: String, _ args: [String]) async throws -> ToolResult {
        let exit = try await run(name, args)
        guard exit.succeeded else {
            throw SoakFailure("\(name) \(args.prefix(3).joined(separator: " ")) exited \(exit.status)\(exit.killedBySignal ? " (signal)" : ""): \(exit.firstErrorLine)")
        }
        return exit
    }
}

/// A failure of the soak run itself (set-up, a tool that must succeed, a broken check).
struct SoakFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
