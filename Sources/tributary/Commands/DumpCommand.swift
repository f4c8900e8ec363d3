import ArgumentParser
import SyncClient
import SyncModel
import SyncStore

/// `tributary dump`: the canonical dump.
struct DumpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the canonical dump: every record and open conflict as stable JSON.",
        discussion: """
            Two replicas holding the same changes print byte-identical dumps. The dump is JSON already, \
            so --json changes nothing.

            Example:
              tributary dump > station-dump.json
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        Console.write(try station.openForReading().store.dump())
    }
}
