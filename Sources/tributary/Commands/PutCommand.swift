import ArgumentParser
import CountyWork
import SyncClient
import SyncModel

/// `tributary put`: creates or updates a record.
struct PutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Create or update a record, and print its id.",
        discussion: """
            Without an ID a new record is created with a new UUID. Values are read by the field's kind: \
            whole numbers, numbers, true/false, dates YYYY-MM-DD, text. Set fields take +ELEMENT to add \
            and -ELEMENT to remove (comma-separated for several). FIELD= clears a field. --json takes \
            the fields as one JSON object instead (an array gives a set's elements exactly). Only fields \
            whose value changes are written. Values a clerk would hardly mean together (an order done \
            before it was ordered) are written and shown as `warning: …` lines on stderr.

            Examples:
              tributary put member name=林秀英 orgUnitId=yc-t01-c01 category=retired
              tributary put activity act-0412 attendees=+m-0001,+m-0002
              tributary put serviceOrder so-0031 --json '{"state": "done", "rating": 5}'
            """)

    @OptionGroup var station: StationOptions

    @Argument(help: "The record type, e.g. member.")
    var type: String

    @Argument(help: ArgumentHelp("The record id (optional), then FIELD=VALUE pairs.", valueName: "ID | FIELD=VALUE"))
    var arguments: [String] = []

    @Option(name: .customLong("json"), help: ArgumentHelp("The fields as one JSON object.", valueName: "OBJECT"))
    var object: String?

    func run() async throws {
        let replica = try station.open()
        var assignments = arguments
        var id: String?
        if let first = assignments.first, !first.contains("=") {
            id = first
            assignments.removeFirst()
        }
        var write = try FieldText.write(type: type, id: id, assignments: assignments, schema: replica.schema)
        if let object {
            let fromJSON = try FieldText.write(type: type, id: id, json: object, schema: replica.schema)
            write.fields.merge(fromJSON.fields) { $1 }
            write.exactSets.merge(fromJSON.exactSets) { $1 }
        }
        let written = try replica.write(write).id
        Console.out(written)
        // Cross-field oddities are warnings on stderr, never refusals (the write stands, exit 0).
        if let record = try replica.record(type: type, id: written) {
            for warning in CountyWorkWarnings.warnings(
                type: type, id: written, values: record.values, written: Set(write.fields.keys), schema: replica.schema)
            {
                Console.warn(warning)
            }
        }
    }
}
