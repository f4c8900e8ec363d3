import ArgumentParser
import SyncClient
import SyncModel

/// `tributary restore`: restores a deleted record.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a deleted record.",
        discussion: """
            Restoring also settles delete/edit conflicts in favour of the edits.

            Example:
              tributary restore member 3f2a6c1e-0d4b-4c1a-9a55-2f0c1d7e8b90
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var record: RecordArguments

    func run() async throws {
        let changed = try station.open().restore(type: record.type, id: record.id)
        if output.json {
            try JSONOutput.print(ActionView(type: record.type, id: record.id, changed: changed, changes: changed ? 1 : 0))
        } else {
            Console.out(changed ? "restored \(record.type) \(record.id)" : "\(record.type) \(record.id) is not deleted")
        }
    }
}
