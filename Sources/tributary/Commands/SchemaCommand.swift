import ArgumentParser
import SyncClient
import SyncModel

/// `tributary schema`: what the replica records, for clerks and scripts.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Show the record types and fields this replica records.",
        discussion: """
            Examples:
              tributary schema
              tributary schema show member --json
            """,
        subcommands: [Show.self],
        defaultSubcommand: Show.self)

    /// `tributary schema show [TYPE] [--json]`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "List the replica's record types and their fields.",
            discussion: """
                Each type with its description and scope, then each field: its kind, merge policy, whether \
                it is required at creation or personal data, and what it takes (enum values, forward states \
                in order, the type a ref refers to, a length limit, a range). --json prints the schema \
                document itself (the format of Protocol/schema/county-work.json), limited to TYPE if given.

                Examples:
                  tributary schema
                  tributary schema show serviceOrder
                  tributary schema show --json > schema.json
                """)

        @OptionGroup var station: StationOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "Only this record type, e.g. member.")
        var type: String?

        func run() async throws {
            var schema = try station.open().schema
            if let type {
                let recordType = try schema.requireType(type)
                schema.types = [type: recordType]
            }
            if output.json {
                try JSONOutput.print(schema)
            } else {
                Console.out(schema.outline(only: type))
            }
        }
    }
}
