import ArgumentParser
import SyncClient
import SyncModel

/// `tributary explain`: the full story of a record or field.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain how a record's fields got their values: every write, the winner and why.",
        discussion: """
            For each field: every write this replica holds (value, version, origin, bases), which are \
            heads, which one wins and the rule that decided (lww, forward, set, immutable, deleted), \
            which are conflicts, and whether the hub acknowledged this station's writes. Writes of other \
            sites are named by the station that wrote them (as the hub last named them in a sync).

            Example:
              tributary explain meeting mt-2025-03 minutes
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var record: RecordArguments

    @Argument(help: "Only this field.")
    var field: String?

    func run() async throws {
        let replica = try station.openForReading()
        let view = ExplanationView(try replica.explain(type: record.type, id: record.id, field: field), siteNames: try replica.siteNames())
        if output.json { try JSONOutput.print(view) } else { Console.out(view.text()) }
    }
}
