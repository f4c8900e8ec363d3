import Foundation

/// The overview page's view of any record type (the generic reports, SPEC §12): a type picker,
/// the chosen type's counts per sub-unit (with "held directly") and its first records, with
/// links to export them all.
struct RecordsPanel: Sendable {
    struct TypeOption: Sendable {
        var name: String
        var selected: Bool
    }

    struct Count: Sendable {
        var id: String
        var type: String
        var name: String
        var count: String
        var link: Bool
        var direct: Bool
    }

    struct Row: Sendable {
        var cells: [String]
    }

    /// The chosen type's tables and links.
    struct Chosen: Sendable {
        var counts: [Count]
        var columns: [String]
        var rows: [Row]
        var hasRows: Bool
        var shownLabel: String
        var csv: String
        var json: String
    }

    var action: String
    var types: [TypeOption]
    var chosen: Chosen?

    /// The records shown on the page; the export links give them all.
    static let shownRows = 20

    /// Builds the panel of the page of `unit` (`action` is the page's path) for the schema's
    /// `types`, with `counts` and `records` (the first ``shownRows`` + 1 records) of the chosen type.
    static func build(
        action: String, unit: String, types: [String], chosen type: String?, counts: ReportTable?, records: ReportTable?,
        language: ReportLanguage
    ) -> RecordsPanel {
        let options = types.map { TypeOption(name: $0, selected: $0 == type) }
        guard let type, let counts, let records else { return RecordsPanel(action: action, types: options, chosen: nil) }
        let total = Labels.text("row.total", language), direct = Labels.text("row.direct", language)
        let rowIndex = counts.index(of: "row"), unitIndex = counts.index(of: "unit"), nameIndex = counts.index(of: "name")
        let countIndex = counts.index(of: "records")
        let countRows = counts.rows.map { row -> Count in
            let kind = rowIndex.map { row[$0].description } ?? ""
            return Count(
                id: unitIndex.map { row[$0].description } ?? "", type: type,
                name: kind == total || kind == direct ? kind : nameIndex.map { row[$0].description } ?? "",
                count: countIndex.map { row[$0].description } ?? "", link: kind != total && kind != direct, direct: kind == direct)
        }
        let shown = records.rows.prefix(shownRows).map { Row(cells: $0.map(\.description)) }
        let base = "/v1/reports/records?type=\(DashboardPage.query(type))&org=\(DashboardPage.query(unit))&lang=\(language.rawValue)"
        let label = String(format: Labels.text("ui.shownRecords", language), shown.count, countRows.first.map { Int($0.count) ?? 0 } ?? 0)
        return RecordsPanel(
            action: action, types: options,
            chosen: Chosen(
                counts: countRows, columns: records.columns.map(\.label), rows: Array(shown), hasRows: !shown.isEmpty, shownLabel: label,
                csv: base + "&format=csv&bom=1", json: base + "&format=json"))
    }
}
