import ArgumentParser
import SyncClient
import SyncModel

/// `tributary delete`: deletes a record.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a record (it can be restored).",
        discussion: """
            Example:
              tributary delete member 3f2a6c1e-0d4b-4c1a-9a55-2f0c1d7e8b90
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var record: RecordArguments

    func run() async throws {
        let changed = try station.open().delete(type: record.type, id: record.id)
        if output.json {
            try JSONOutput.print(ActionView(type: record.type, id: record.id, changed: changed, changes: changed ? 1 : 0))
        } else {
            Console.out(changed ? "deleted \(record.type) \(record.id)" : "\(record.type) \(record.id) was already deleted")
        }
    }
}
