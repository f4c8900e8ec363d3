import ArgumentParser
import Foundation
import SyncModel

/// `tributary-hub`: the county hub's command line.
@main
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary-hub",
        abstract: "Run and administer a Tributary county hub.",
        discussion: """
            The hub file is --db, or $TRIBUTARY_HUB_DB, or ./hub.db.

            Examples:
              tributary-hub --db /var/lib/tributary/hub.db org import sample-county.csv
              tributary-hub station add --org yc-t01 --name 桃城镇工作站
              tributary-hub serve --port 8080
            """,
        version: SoftwareVersion.current,
        subcommands: [
            InitCommand.self, ServeCommand.self, OrgCommand.self, StationCommand.self, DumpCommand.self, DigestCommand.self,
            LogCommand.self, CompactCommand.self,
            ReportCommand.self, AdminTokenCommand.self, ImportBundleCommand.self, ExportBundleCommand.self, BackupCommand.self,
            RestoreCommand.self, SchemaCommand.self,
        ]
    )

    /// Runs the command, printing failures as one line `error: <code>: <sentence>`.
    static func main() async {
        // Whatever the hub creates (its database, -wal, -shm, backups, bundles, lock) holds
        // personal data or guards it: readable by the hub's user only, whatever the umask.
        umask(0o077)
        do {
            var command = try parseAsRoot(globalDatabaseOption(CommandLine.arguments.dropFirst()))
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as SyncError {
            Console.error("error: \(error.code.rawValue): \(error.message.replacingOccurrences(of: "\n", with: " "))")
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }

    /// `--db PATH` given before the subcommand (`tributary-hub --db x.db status`) applies to every
    /// subcommand: it is passed on as $TRIBUTARY_HUB_DB, which each command reads when it has no
    /// `--db` of its own.
    static func globalDatabaseOption(_ arguments: ArraySlice<String>) -> [String] {
        var arguments = Array(arguments)
        if arguments.first == "--db", arguments.count >= 2 {
            setenv("TRIBUTARY_HUB_DB", arguments[1], 1)
            arguments.removeFirst(2)
        } else if let first = arguments.first, first.hasPrefix("--db=") {
            setenv("TRIBUTARY_HUB_DB", String(first.dropFirst(5)), 1)
            arguments.removeFirst()
        }
        return arguments
    }
}

/// Options every data command shares.
struct HubOptions: ParsableArguments {
    @Option(name: .long, help: "The hub's SQLite file (default: $TRIBUTARY_HUB_DB or ./hub.db).")
    var db: String?

    /// The hub file to open.
    var path: String { db ?? ProcessInfo.processInfo.environment["TRIBUTARY_HUB_DB"] ?? "./hub.db" }
}

/// `--json` for commands whose output is data.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// Prints `value` as pretty JSON.
    func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Console.json(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// Text for people on stdout and stderr, with control and bidirectional characters that
/// stations wrote into names and values shown escaped (``TerminalText``); JSON as data.
enum Console {
    /// Prints a line (or several) of text to stdout.
    static func out(_ text: String = "") {
        print(TerminalText.escaped(text, keepingNewlines: true))
    }

    /// Prints a token just issued, once: the hub keeps only its hash.
    static func newToken(_ token: String) {
        out("token \(token)")
        out("keep the token: the hub stores only its hash")
    }

    /// Prints a JSON document to stdout.
    static func json(_ text: String) {
        print(TerminalText.jsonSafe(text))
    }

    /// Writes a line to stderr.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.escaped(text, keepingNewlines: true) + "\n").utf8))
    }
}
