import ArgumentParser
import SyncClient
import SyncModel

/// `tributary status`: the station at a glance.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the station: site id, org unit, hub, last sync, outbox, refusals, conflicts.",
        discussion: """
            Example:
              tributary status --json
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let view = StatusView(try station.openForReading().status())
        if output.json { try JSONOutput.print(view) } else { Console.out(view.text()) }
    }
}
