public import Foundation

/// What a finished run of a built executable (`tributary`, `tributary-hub`) left: its exit
/// status and its output. Shared by the process-level tests and the soak driver.
public struct ToolResult: Sendable {
    /// The exit status (or the signal number when ``killedBySignal``).
    public var status: Int32
    /// Whether the process was ended by a signal.
    public var killedBySignal: Bool
    /// Everything written to stdout.
    public var stdout: String
    /// Everything written to stderr.
    public var stderr: String

    public init(status: Int32, killedBySignal: Bool, stdout: String, stderr: String) {
        self.status = status
        self.killedBySignal = killedBySignal
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Whether it exited with status 0.
    public var succeeded: Bool { !killedBySignal && status == 0 }

    /// stdout without its trailing newline.
    public var output: String { stdout.trimmingCharacters(in: .newlines) }

    /// The non-empty lines of stderr.
    public var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// The first line of stderr (empty if none), for messages.
    public var firstErrorLine: String { errorLines.first ?? "" }

    /// stdout parsed as one JSON document.
    public func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
    }
}
