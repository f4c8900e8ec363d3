import ArgumentParser
import SyncClient
import SyncModel

/// `tributary get`: shows one record.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show one record (also when it is deleted).",
        discussion: """
            Example:
              tributary get member 3f2a6c1e-0d4b-4c1a-9a55-2f0c1d7e8b90 --json
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var record: RecordArguments

    func run() async throws {
        let replica = try station.openForReading()
        guard let found = try replica.record(type: record.type, id: record.id) else {
            throw SyncError(.notFound, "there is no \(record.type) \(record.id) in this replica")
        }
        let view = RecordView(found, schema: replica.schema)
        if output.json { try JSONOutput.print(view) } else { Console.out(view.text()) }
    }
}
