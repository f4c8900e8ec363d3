import ArgumentParser
import SyncClient
import SyncModel

/// `tributary list`: lists records of one type.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List records of one type, in id order.",
        discussion: """
            Example:
              tributary list member --where orgUnitId=yc-t01-c01 --where category=retired
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The record type, e.g. member.")
    var type: String

    @Option(name: .customLong("where"), help: ArgumentHelp("Only records whose FIELD has VALUE (repeatable).", valueName: "FIELD=VALUE"))
    var filters: [String] = []

    @Option(help: "The most records to list.")
    var limit: Int = 1_000

    @Flag(help: "Include deleted records.")
    var deleted = false

    func run() async throws {
        let replica = try station.openForReading()
        let filter = try FieldText.write(type: type, id: nil, assignments: filters, schema: replica.schema)
        if let set = filter.setChanges.keys.first {
            throw SyncError(.unknownField, "\(type).\(set) is a set field; list filters on single values")
        }
        let records = try replica.list(type: type, matching: filter.fields, includeDeleted: deleted, limit: limit)
        let views = records.map { RecordView($0, schema: replica.schema) }
        if output.json {
            try JSONOutput.print(views)
        } else if views.isEmpty {
            Console.out("no \(type) records")
        } else {
            Console.out(RecordView.table(views))
        }
    }
}
