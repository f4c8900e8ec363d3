import ArgumentParser
import SyncClient
import SyncModel

/// `tributary resolve`: settles a conflict.
struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Settle a conflict: keep one write's value, or write a new one.",
        discussion: """
            The settling write lists every head as its base, so it becomes the only head. For a \
            delete/edit conflict, use FIELD _deleted: --value true confirms the delete, --value false \
            restores the record (or --keep the delete's or the edit's version).

            Examples:
              tributary resolve member m-1 name --keep 0190a3b4c5d60001-9f8e7d6c5b4a3921
              tributary resolve member m-0001 _deleted --value false
              tributary resolve serviceOrder so-7 rating --value -1
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The record type, e.g. meeting.")
    var type: String

    @Argument(help: "The record id.")
    var id: String

    @Argument(help: "The field in conflict (or _deleted).")
    var field: String

    @Option(help: ArgumentHelp("The version whose value to keep.", valueName: "VERSION"))
    var keep: String?

    // Unconditional: a value may start with "-" (`--value -1`), which is not an option here.
    @Option(parsing: .unconditional, help: "A new value to write instead (negative numbers too: --value -1 or --value=-1).")
    var value: String?

    func validate() throws {
        guard (keep == nil) != (value == nil) else {
            throw ValidationError("give exactly one of --keep VERSION or --value VALUE")
        }
        if let keep, Version(text: keep) == nil {
            throw ValidationError("--keep takes a version <16 hex hlc>-<16 hex site>, as `tributary conflicts` shows it")
        }
    }

    func run() async throws {
        let replica = try station.open()
        var parsed: FieldValue?
        if let value {
            if field == Schema.deletedField {
                parsed = try FieldText.value(value, kind: .bool, path: "\(type).\(field)")
            } else {
                parsed = try FieldText.value(value, kind: try replica.schema.requireField(field, of: type).kind, path: "\(type).\(field)")
            }
        }
        let changes = try replica.resolve(type: type, id: id, field: field, keep: keep.flatMap { Version(text: $0) }, value: parsed)
        if output.json {
            try JSONOutput.print(ActionView(type: type, id: id, changed: !changes.isEmpty, changes: changes.count))
        } else {
            Console.out("settled \(type) \(id) \(field) with \(changes.count) change(s)")
        }
    }
}
