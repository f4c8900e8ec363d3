import ArgumentParser
import CountyWork
import Foundation
import SyncModel
import SyncServer

/// `tributary-hub schema`: the record types the hub syncs, and whether a new version of them
/// is a compatible successor (SPEC §9).
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Show the hub's schema, or check a new version of it.",
        discussion: """
            Examples:
              tributary-hub schema show serviceOrder
              tributary-hub schema check county-work-2.json
              tributary-hub schema apply county-work-2.json
            """,
        subcommands: [Show.self, Check.self, Apply.self])

    /// `tributary-hub schema show [TYPE] [--version N] [--json]`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "List the record types and fields of the hub's schema.",
            discussion: """
                Each type with its description and scope, then each field: kind, merge policy, required, \
                personal, and what it takes (enum values, forward states in order, ref target, length limit, \
                range). --json prints the schema document (the format of Protocol/schema/county-work.json).

                Examples:
                  tributary-hub schema show
                  tributary-hub schema show teaHouseMeeting
                  tributary-hub schema show --version 1 --json > county-work-1.json
                """)

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The schema version to show (default: the current one).") var version: Int?
        @Argument(help: "Only this record type, e.g. member.") var type: String?

        func run() async throws {
            var schema = try await HubSchemas.schema(version: version, hub)
            if let type {
                guard let recordType = schema.types[type] else {
                    throw SyncError(
                        .unknownType,
                        "there is no record type \"\(type)\" in \(WireProtocol.schemaTag(schema)); the types are \(schema.types.keys.sorted().joined(separator: ", "))")
                }
                schema.types = [type: recordType]
            }
            if output.json { return try output.printJSON(schema) }
            Console.out(schema.outline(only: type))
        }
    }

    /// `tributary-hub schema check FILE [--json]`.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Compare a schema file with the hub's current schema: is it a compatible successor?",
            discussion: """
                Prints the differences type by type and field by field, each additive, breaking or cosmetic. \
                Exits 0 when FILE is a compatible successor (the same name, the next version, only additive \
                changes: new types, new optional fields, new enum values, new forward states after the last \
                one, longer limits, wider ranges, a field made optional); otherwise exits 1 with \
                `error: schema_incompatible: …` naming every breaking change. Keys the schema format does \
                not know are reported as warnings (they would be ignored).

                Example:
                  tributary-hub schema check Protocol/examples/county-work-2.json
                """)

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The schema document to check (JSON, the format of Protocol/schema/county-work.json).")
        var file: String

        func run() async throws {
            let candidate = try SchemaFile.readWarningOfUnknownKeys(file)
            let current = try await HubSchemas.schema(version: nil, hub)
            let differences = candidate.differences(from: current)
            if output.json {
                try output.printJSON(CheckReport(
                    current: WireProtocol.schemaTag(current), candidate: WireProtocol.schemaTag(candidate),
                    compatible: candidate.isCompatibleSuccessor(of: current), differences: differences))
            } else {
                Console.out(Self.text(differences, current: current, candidate: candidate))
            }
            try candidate.checkCompatibleSuccessor(of: current)
        }

        static func text(_ differences: [SchemaDifference], current: Schema, candidate: Schema) -> String {
            let from = WireProtocol.schemaTag(current), to = WireProtocol.schemaTag(candidate)
            var lines = ["\(from) → \(to): \(differences.isEmpty ? "no differences" : "\(differences.count) differences")"]
            let width = SchemaDifference.Impact.allCases.map(\.rawValue.count).max() ?? 0
            for difference in differences {
                let impact = difference.impact.rawValue
                lines.append("  " + impact + String(repeating: " ", count: width - impact.count) + "  " + difference.sentence)
            }
            if candidate.isCompatibleSuccessor(of: current) {
                lines.append("\(to) is a compatible successor of \(from)")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// `tributary-hub schema apply FILE`.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Make a compatible successor of the hub's schema its current schema.",
            discussion: """
                The same check as `schema check`; when FILE is a compatible successor it is stored as the hub's \
                new current schema, with the older versions kept. A running hub takes it on its next request; \
                stations take it on their next sync (or hub bundle) and keep pushing what they wrote under \
                the older version meanwhile. An incompatible file changes nothing (exit 1, \
                `error: schema_incompatible: …`).

                Example:
                  tributary-hub schema apply Protocol/examples/county-work-2.json
                """)

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The schema document to apply (JSON, the format of Protocol/schema/county-work.json).")
        var file: String

        func run() async throws {
            let candidate = try SchemaFile.readWarningOfUnknownKeys(file)
            let store = try HubStoreOpener.open(hub)
            let current = try await store.currentSchema()
            if !output.json { Console.out(Check.text(candidate.differences(from: current), current: current, candidate: candidate)) }
            let applied = try await store.applySchema(candidate)
            if output.json {
                try output.printJSON(["applied": WireProtocol.schemaTag(applied), "previous": WireProtocol.schemaTag(current)])
            } else {
                Console.out("applied \(WireProtocol.schemaTag(applied)); stations take it on their next sync")
            }
        }
    }

    /// The `--json` output of `schema check`.
    struct CheckReport: Encodable {
        var current: String
        var candidate: String
        var compatible: Bool
        var differences: [SchemaDifference]
    }
}

/// Where the hub's schemas come from: the versions stored in the hub file (SPEC §9).
enum HubSchemas {
    /// Every version of the hub's schema, oldest first; the last is the current one.
    static func history(_ hub: HubOptions) async throws -> [Schema] {
        try await HubStoreOpener.openForReading(hub).schemas()
    }

    /// Version `version` of the hub's schema, or the current one when `nil`.
    static func schema(version: Int?, _ hub: HubOptions) async throws -> Schema {
        let history = try await history(hub)
        guard let current = history.last else { throw SyncError(.notFound, "the hub has no schema") }
        guard let version else { return current }
        guard let found = history.first(where: { $0.version == version }) else {
            let known = history.map { String($0.version) }.joined(separator: ", ")
            throw SyncError(.notFound, "the hub has no version \(version) of \(current.name); it knows version \(known)")
        }
        return found
    }
}
