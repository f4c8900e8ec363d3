import Foundation

/// The view model of the overview page of one org unit: figures, sub-units, charts, station
/// sync health and download links, all labels in one language. Built from the same reports the
/// API serves, so the page and the CSV files agree.
struct DashboardPage: Sendable {
    struct Crumb: Sendable {
        var id: String
        var name: String
        var link: Bool
    }

    struct Card: Sendable {
        var label: String
        var value: String
    }

    struct SubUnit: Sendable {
        var id: String
        var name: String
        var kind: String
        var members: String
        var orders: String
        var hours: String
        var openIncidents: String
        var link: Bool
    }

    struct Station: Sendable {
        var id: String
        var name: String
        var unit: String
        var lastContact: String
        var acked: String
        var refusals: String
        var conflicts: String
        var status: String
        var statusClass: String
    }

    struct TopMember: Sendable {
        var name: String
        var unit: String
        var entries: String
        var balance: String
    }

    struct Download: Sendable {
        var title: String
        var href: String
    }

    /// Every label of the page, by key without the `ui.` prefix.
    var t: [String: String]
    var lang: String
    var otherLang: String
    var unitID: String
    var unitName: String
    var unitKind: String
    var crumbs: [Crumb]
    var cards: [Card]
    var subUnits: [SubUnit]
    var hasSubUnits: Bool
    var ordersChart: SVGChart.Bars
    var hoursChart: SVGChart.Line
    var stations: [Station]
    var hasStations: Bool
    var topMembers: [TopMember]
    var hasTopMembers: Bool
    var downloads: [Download]
    var generated: String
    var signedIn = true

    /// The labels of a page in `language`.
    static func labels(_ language: ReportLanguage) -> [String: String] {
        var labels: [String: String] = [:]
        for key in Labels.table.keys where key.hasPrefix("col.") {
            labels[String(key.dropFirst(4))] = Labels.text(key, language)
        }
        for key in Labels.table.keys where key.hasPrefix("ui.") {
            labels[String(key.dropFirst(3))] = Labels.text(key, language)
        }
        return labels
    }

    /// Builds the page from the reports of `unit`.
    static func build(
        reports: [HubReport: ReportTable], language: ReportLanguage, lineage: [(id: String, name: String)], topAllowed: String,
        generated: String
    ) -> DashboardPage {
        let members = reports[.members]!, orders = reports[.orders]!, hours = reports[.hours]!
        let incidents = reports[.incidents]!, wishes = reports[.wishes]!, transfers = reports[.transfers]!, sync = reports[.sync]!
        let total = Labels.text("row.total", language), unitRow = Labels.text("row.unit", language), all = Labels.text("all", language)

        func value(_ table: ReportTable, _ row: [ReportValue], _ key: String) -> ReportValue {
            table.index(of: key).map { row[$0] } ?? .null
        }
        func rows(_ table: ReportTable, where row: String, category: Bool = false) -> [[ReportValue]] {
            table.rows.filter {
                value(table, $0, "row") == .text(row) && (!category || value(table, $0, "category") == .text(all))
            }
        }
        let memberRoot = members.rows.first
        let orderTotal = rows(orders, where: total, category: true).first
        let hoursByMonth = rows(hours, where: total).map { (label: value(hours, $0, "month").description, value: value(hours, $0, "hours").double ?? 0) }
        let incidentTotal = rows(incidents, where: total).first
        let wishTotal = rows(wishes, where: total).first
        let cards = [
            Card(label: Labels.text("ui.members", language), value: memberRoot.map { value(members, $0, "total").description } ?? "0"),
            Card(label: Labels.text("ui.orders", language), value: orderTotal.map { value(orders, $0, "total").description } ?? "0"),
            Card(label: Labels.text("ui.hours", language), value: ReportValue.format(hoursByMonth.reduce(0) { $0 + $1.value })),
            Card(label: Labels.text("ui.openIncidents", language), value: incidentTotal.map { value(incidents, $0, "open").description } ?? "0"),
            Card(label: Labels.text("ui.wishes", language), value: wishTotal.map { value(wishes, $0, "total").description } ?? "0"),
            Card(label: Labels.text("ui.transfers", language), value: String(transfers.rows.count)),
        ]

        // Sub-units: members from the roll-up (depth 1), the rest from the per-unit rows.
        func byUnit(_ table: ReportTable, _ rows: [[ReportValue]]) -> [String: [ReportValue]] {
            Dictionary(rows.map { (value(table, $0, "unit").description, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let orderRows = byUnit(orders, rows(orders, where: unitRow, category: true))
        let incidentRows = byUnit(incidents, rows(incidents, where: unitRow))
        var hourSums: [String: Double] = [:]
        for row in rows(hours, where: unitRow) { hourSums[value(hours, row, "unit").description, default: 0] += value(hours, row, "hours").double ?? 0 }
        let subUnits = members.rows.filter { value(members, $0, "depth") == .int(1) }.map { row -> SubUnit in
            let id = value(members, row, "unit").description
            return SubUnit(
                id: id, name: value(members, row, "name").description, kind: value(members, row, "kind").description,
                members: value(members, row, "total").description,
                orders: orderRows[id].map { value(orders, $0, "total").description } ?? "0",
                hours: ReportValue.format(hourSums[id] ?? 0),
                openIncidents: incidentRows[id].map { value(incidents, $0, "open").description } ?? "0", link: true)
        }

        let stateOrder = ReportBuilder.orderStates
        let ordersChart = SVGChart.bars(stateOrder.map { state in
            (label: Labels.text(state, language), value: orderTotal.map { value(orders, $0, state).double ?? 0 } ?? 0)
        })
        let stations = sync.rows.map { row -> Station in
            let status = value(sync, row, "status").description
            let key = ["ok", "behind", "never", "conflicts", "revoked"].first { Labels.text("status.\($0)", language) == status } ?? "ok"
            return Station(
                id: value(sync, row, "station").description, name: value(sync, row, "stationName").description,
                unit: value(sync, row, "unit").description,
                lastContact: value(sync, row, "lastContact") == .null ? Labels.text("ui.never", language) : value(sync, row, "lastContact").description,
                acked: value(sync, row, "acked").description, refusals: value(sync, row, "refusals").description,
                conflicts: String((value(sync, row, "conflicts").double.map(Int.init) ?? 0) + (value(sync, row, "deleteConflicts").double.map(Int.init) ?? 0)),
                status: status, statusClass: "status-\(key)")
        }
        let balances = reports[.balances]!
        let topMembers = balances.rows.map { row in
            TopMember(
                name: value(balances, row, "memberName").description, unit: value(balances, row, "unitName").description,
                entries: value(balances, row, "entries").description, balance: value(balances, row, "balance").description)
        }
        let unit = lineage.last!
        let downloads = HubReport.allCases.map { report in
            Download(title: report.title(language), href: "/v1/reports/\(report.rawValue)?org=\(Self.query(unit.id))&format=csv&lang=\(language.rawValue)&bom=1")
        }
        let top = lineage.firstIndex { $0.id == topAllowed } ?? 0
        let crumbs = lineage[top...].map { Crumb(id: $0.id, name: $0.name, link: $0.id != unit.id) }
        return DashboardPage(
            t: labels(language), lang: language.htmlTag, otherLang: language == .zh ? "en" : "zh", unitID: unit.id, unitName: unit.name,
            unitKind: memberRoot.map { value(members, $0, "kind").description } ?? "", crumbs: Array(crumbs), cards: cards,
            subUnits: subUnits, hasSubUnits: !subUnits.isEmpty, ordersChart: ordersChart, hoursChart: SVGChart.line(Array(hoursByMonth.suffix(12))),
            stations: stations, hasStations: !stations.isEmpty, topMembers: topMembers, hasTopMembers: !topMembers.isEmpty, downloads: downloads, generated: generated)
    }

    /// A query parameter value, percent-encoded.
    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
