import Foundation
import SyncModel

/// Writing to the terminal: data to stdout, diagnostics to stderr. Text for people passes
/// through ``TerminalText/escaped(_:keepingNewlines:)``: control and bidirectional characters a
/// station wrote into a name or a value are shown escaped, never sent to the terminal raw.
enum Console {
    /// Prints a line (or several) of text for people to stdout.
    static func out(_ text: String) {
        print(TerminalText.escaped(text, keepingNewlines: true))
    }

    /// Prints a JSON document to stdout, as data (``TerminalText/jsonSafe(_:)``).
    static func json(_ text: String) {
        print(TerminalText.jsonSafe(text))
    }

    /// Writes raw bytes to stdout.
    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Writes a line to stderr, unbuffered.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.escaped(text, keepingNewlines: true) + "\n").utf8))
    }

    /// Writes one line `warning: <sentence>` to stderr; the command still succeeds.
    static func warn(_ sentence: String) {
        error("warning: " + sentence.replacingOccurrences(of: "\n", with: " "))
    }

    /// Whether stderr is a terminal (progress is shown only there unless asked for).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// Reports `error` as exactly one line `error: <code>: <sentence>` and exits with 1.
    static func fail(_ error: SyncError) -> Never {
        let sentence = error.message.replacingOccurrences(of: "\n", with: " ")
        Self.error("error: \(error.code.rawValue): \(sentence)")
        exit(ExitStatus.failure)
    }
}
