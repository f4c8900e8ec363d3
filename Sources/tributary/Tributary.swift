import ArgumentParser
import Foundation
import SyncModel

/// The `tributary` command line: a township station recording community work offline.
@main
struct Tributary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary",
        abstract: "Record community work offline in a township station's replica, and see what waits to sync.",
        discussion: """
            Every command works on one replica file: --db PATH, else $TRIBUTARY_DB, else ./station.db. \
            Data commands take --json for one machine-readable JSON document.

            Exit status: 0 success; 1 error, with one line `error: <code>: <sentence>` on stderr; 2 \
            usage error; `tributary sync` adds 3, 4, 5 (the round failed) and 6 (done, some changes \
            refused): see `tributary sync --help`.

            Example session:
              tributary init --hub https://hub.example.org --token TOKEN   # + org tree
              ID=$(tributary put member name=林秀英 orgUnitId=yc-t01 category=retired)
              tributary get member $ID
              tributary status
            """,
        version: SoftwareVersion.current,
        subcommands: [
            InitCommand.self, PutCommand.self, GetCommand.self, ListCommand.self, DeleteCommand.self,
            RestoreCommand.self, StatusCommand.self, ConflictsCommand.self, ResolveCommand.self, ExplainCommand.self,
            LogCommand.self, DumpCommand.self, DigestCommand.self, ImportCommand.self, ExportCommand.self, SyncCommand.self,
            RemoteCommand.self, SchemaCommand.self,
        ])

    /// Runs the command, mapping failures to the exit statuses in ``ExitStatus``.
    static func main() async {
        do {
            var command = try parseAsRoot(globalDatabaseOption(CommandLine.arguments.dropFirst()))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as SyncError {
            Console.fail(error)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { Console.error(message) }
            Foundation.exit(code == .validationFailure ? ExitStatus.usage : code.rawValue)
        }
    }

    /// `--db PATH` given before the subcommand (`tributary --db x.db status`) applies to every
    /// subcommand: it is passed on as $TRIBUTARY_DB, which each command reads when it has no
    /// `--db` of its own.
    static func globalDatabaseOption(_ arguments: ArraySlice<String>) -> [String] {
        var arguments = Array(arguments)
        if arguments.first == "--db", arguments.count >= 2 {
            setenv("TRIBUTARY_DB", arguments[1], 1)
            arguments.removeFirst(2)
        } else if let first = arguments.first, first.hasPrefix("--db=") {
            setenv("TRIBUTARY_DB", String(first.dropFirst(5)), 1)
            arguments.removeFirst()
        }
        return arguments
    }
}

/// The exit statuses of `tributary`.
enum ExitStatus {
    /// Any error with a stable code (`error: <code>: <sentence>`).
    static let failure: Int32 = 1
    /// The command line itself is wrong (ArgumentParser's usage errors).
    static let usage: Int32 = 2
    /// The hub could not be reached (reserved for `sync`).
    static let unreachable: Int32 = 3
    /// The hub refused the round: the token, the protocol or schema, the site, or this
    /// station's clock (reserved for `sync`).
    static let refused: Int32 = 4
    /// The hub limits this station's requests: wait the seconds given (reserved for `sync`).
    static let rateLimited: Int32 = 5
    /// The round was done, but the hub refused some changes; they are kept, marked, and
    /// shown by `status` and `log` (reserved for `sync`).
    static let doneWithRefusals: Int32 = 6
}
