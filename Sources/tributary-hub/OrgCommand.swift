import ArgumentParser
import Foundation
import SyncModel
import SyncServer

/// `tributary-hub org …`.
struct OrgCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org", abstract: "Import and list the county's org tree.",
        discussion: """
            Examples:
              tributary-hub org import Protocol/examples/sample-county.csv
              tributary-hub org list --json
            """,
        subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import org units from CSV (id,name,kind,parentId[,orgForm]) or a JSON array.",
            discussion: """
                CSV is read as spreadsheet programs save it (RFC 4180: "quoted, fields", CRLF line ends, a \
                UTF-8 byte order mark); the header names the columns, and an unknown or missing column is \
                refused. The file must be UTF-8; one saved by Excel on Chinese Windows (GBK) is refused with a \
                note on how to save it as UTF-8, or read with --encoding gbk. Units are added or updated, \
                checked for unknown parents, duplicate ids and cycles (with line numbers), and written as \
                orgUnit records so that stations receive the tree. A file with no units is an error unless \
                --allow-empty is given.

                Examples:
                  tributary-hub org import Protocol/examples/sample-county.csv
                  tributary-hub org import --encoding gbk 组织架构.csv
                """)

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The CSV or JSON file.") var file: String
        @Option(help: "The file's character encoding: utf8 or gbk.") var encoding: Encoding = .utf8
        @Flag(help: "Accept a file with no units (nothing is imported).") var allowEmpty = false

        /// `--encoding`.
        enum Encoding: String, ExpressibleByArgument, CaseIterable {
            case utf8, gbk
        }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SyncError(.notFound, "cannot read \(file)")
            }
            // Decoded before the hub file is opened: a file in the wrong encoding changes nothing.
            let text = try (encoding == .gbk ? OrgFileEncoding.gbk : .utf8).decode([UInt8](data), file: file)
            let store = try await HubStoreOpener.open(hub, create: true)
            let existing = Set(try await store.orgUnits().map(\.id))
            let units = try OrgTreeFile.parse(text, existing: existing, allowEmpty: allowEmpty, file: file, schema: try await store.currentSchema())
            let report = try await store.importOrgUnits(units)
            if output.json { return try output.printJSON(report) }
            Console.out("imported \(units.count) units: \(report.added) added, \(report.updated) updated, \(report.unchanged) unchanged (\(report.changes) changes logged)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the org tree.", discussion: "Example:\n  tributary-hub org list --json")

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let units = try await HubStoreOpener.openForReading(hub).orgUnits()
            if output.json { return try output.printJSON(units) }
            for unit in units {
                let depth = max(0, (unit.path ?? "").split(separator: "/").count - 1)
                Console.out("\(String(repeating: "  ", count: depth))\(unit.id)  \(unit.name)  (\(unit.kind))")
            }
        }
    }
}
