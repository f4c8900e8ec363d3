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
            with the hub's reason). Personal values (phone, id number) are shown as <personal>.

            Example:
              tributary log --limit 20
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The most changes to show.")
    var limit: Int = 50

    func run() async throws {
        let replica = try station.openForReading()
        let entries = try replica.log(limit: limit).map { LogEntryView($0, schema: replica.schema) }
        if output.json {
            try JSONOutput.print(entries)
        } else if entries.isEmpty {
            Console.out("no local changes")
        } else {
            Console.out(LogEntryView.table(entries))
        }
    }
}
