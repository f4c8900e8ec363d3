import ArgumentParser
import SyncClient
import SyncModel

/// `tributary log`: recent local changes and what became of them.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show this station's recent changes, newest first, with their sync state.",
        discussion: """
            Each change is waiting (in the outbox), acknowledged (the hub holds it) or refused (kept, \
            with the hub's reason). Personal values (phone, id number) are shown as <personal>. \
            At most --limit changes are shown; when older ones remain, a note on stderr says so \
            (with --json, "more" is true).

            With --json the output is {"entries": [...], "more": true|false}; each entry is the whole \
            change: position, site, seq, hlc, version, type, id, scope, field, elem, value, bases, \
            state and, when refused, reason.

            Examples:
              tributary log --limit 20
              tributary log --json --limit 500
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The most changes to show.")
    var limit: Int = 50

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit is at least 1") }
    }

    func run() async throws {
        let replica = try station.openForReading()
        // One more than asked for tells whether older changes remain.
        var logged = try replica.log(limit: limit < Int.max ? limit + 1 : limit)
        let more = logged.count > limit
        if more { logged.removeLast() }
        let entries = logged.map { LogEntryView($0, schema: replica.schema) }
        if output.json {
            try JSONOutput.print(Page(entries: entries, more: more))
            return
        }
        if entries.isEmpty {
            Console.out("no local changes")
        } else {
            Console.out(LogEntryView.table(entries))
        }
        if more {
            Console.error("showing the newest \(limit) changes; older ones remain (raise --limit to see them)")
        }
    }

    /// The JSON output: the entries, and whether older changes remain past the limit.
    struct Page: Encodable {
        var entries: [LogEntryView]
        var more: Bool
    }
}
