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
                Units are added or updated, checked for unknown parents, duplicate ids and cycles (with line \
                numbers), and written as orgUnit records so that stations receive the tree.

                Example:
                  tributary-hub org import Protocol/examples/sample-county.csv
                """)

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The CSV or JSON file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SyncError(.notFound, "cannot read \(file)")
            }
            let store = try HubStoreOpener.open(hub)
            let existing = Set(try await store.orgUnits().map(\.id))
            let units = try OrgTreeFile.parse(String(decoding: data, as: UTF8.self), existing: existing)
            let report = try await store.importOrgUnits(units)
            if output.json { return try output.printJSON(report) }
            print("imported \(units.count) units: \(report.added) added, \(report.updated) updated, \(report.unchanged) unchanged (\(report.changes) changes logged)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the org tree.", discussion: "Example:\n  tributary-hub org list --json")

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let units = try await HubStoreOpener.open(hub).orgUnits()
            if output.json { return try output.printJSON(units) }
            for unit in units {
                let depth = max(0, (unit.path ?? "").split(separator: "/").count - 1)
                print("\(String(repeating: "  ", count: depth))\(unit.id)  \(unit.name)  (\(unit.kind))")
            }
        }
    }
}
