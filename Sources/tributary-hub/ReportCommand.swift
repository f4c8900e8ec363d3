import ArgumentParser
import Foundation
import SyncModel
import SyncServer

/// `tributary-hub report NAME`.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a report (the same tables as GET /v1/reports/NAME and the dashboard).",
        discussion: """
            Every record type has two reports, whatever the hub's schema: counts --type T (records per unit: \
            the unit's total, one row per sub-unit, and what the unit holds directly) and records --type T \
            (one row per record: id, org unit, each field's shown value; the export of the type). \
            County reports, offered when the hub's schema has their types: \
            \(HubReport.allCases.map(\.rawValue).joined(separator: ", ")). \
            Per-unit reports give the unit's total, one row per sub-unit, and what the unit holds directly; \
            members rolls up every unit of the subtree. --from/--to (inclusive) filter the county reports that \
            have a date (orders by orderedOn, hours by date, wishes by postedOn, incidents by reportedOn …).

            Examples:
              tributary-hub report counts --type teaHouseMeeting --org yc-t01
              tributary-hub report records --type member --format csv --bom > members.csv
              tributary-hub report members --org yc-t01
              tributary-hub report orders --from 2025-01-01 --to 2025-06-30 --format csv
              tributary-hub report sync --lang en --format json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @OptionGroup var hub: HubOptions
    @Argument(help: "The report's name.") var name: String
    @Option(help: "The org unit whose subtree the report covers (default: the root of the tree).") var org: String?
    @Option(help: "The first date included, YYYY-MM-DD.") var from: String?
    @Option(help: "The last date included, YYYY-MM-DD.") var to: String?
    @Option(help: "table, csv or json.") var format: Format = .table
    @Option(help: "The language of headers and labels: zh or en.") var lang: String = "zh"
    @Option(help: "The record type of the counts and records reports.") var type: String?
    @Option(help: "The most rows of a list report (balances, transfers, partners, records).") var limit: Int?
    @Flag(help: "Start CSV output with a UTF-8 byte order mark (for spreadsheet programs).") var bom = false

    func run() async throws {
        let county = HubReport(rawValue: name)
        let generic = TypeReport(rawValue: name)
        guard county != nil || generic != nil else {
            let names = (TypeReport.allCases.map(\.rawValue) + HubReport.allCases.map(\.rawValue)).joined(separator: ", ")
            throw SyncError(.notFound, "there is no report \"\(name)\"; reports: \(names)")
        }
        guard let language = ReportLanguage(rawValue: lang) else {
            throw SyncError(.badRequest, "--lang is zh or en, not \"\(lang)\"")
        }
        if let limit, limit < 1 { throw SyncError(.badRequest, "--limit is a whole number of 1 or more; got \(limit)") }
        let store = try await HubStoreOpener.openForReading(hub)
        let query = ReportQuery(org: org, from: from, to: to, language: language, limit: limit, type: type)
        let table: ReportTable
        if let county {
            try county.checkAvailable(in: try await store.currentSchema())
            table = try await store.report(county, query: query)
        } else {
            // The hub's operator reads the file itself: every field, personal ones included.
            table = try await store.typeReport(generic!, query: query, personal: .all)
        }
        switch format {
        case .table: FileHandle.standardOutput.write(Data(table.text().utf8))
        case .csv: FileHandle.standardOutput.write(Data(table.csv(bom: bom)))
        case .json: Console.json(String(decoding: try table.json(), as: UTF8.self))
        }
    }
}
