import Foundation

/// The county part of an overview page — figures, the two charts and the sub-unit table —
/// built from the county reports; shown only on a hub whose schema has their record types.
struct CountyPanel: Sendable {
    struct Card: Sendable {
        var label: String
        var value: String
    }

    /// A row of the sub-unit table: a sub-unit (its whole subtree, linked), or what the unit
    /// holds directly, so that the rows add up to the cards.
    struct SubUnit: Sendable {
        var id: String
        var name: String
        var kind: String
        var members: String
        var orders: String
        var hours: String
        var openIncidents: String
        var link: Bool
        var direct: Bool
    }

    var cards: [Card]
    var subUnits: [SubUnit]
    var hasSubUnits: Bool
    var ordersChart: SVGChart.Bars
    var hoursChart: SVGChart.Line

    /// The reports the panel is built from.
    static let reports: [HubReport] = [.members, .orders, .hours, .incidents, .wishes, .transfers]

    /// Builds the panel from `reports` (every one of ``reports``), `nil` when one is missing.
    static func build(_ reports: [HubReport: ReportTable], language: ReportLanguage) -> CountyPanel? {
        guard let members = reports[.members], let orders = reports[.orders], let hours = reports[.hours],
            let incidents = reports[.incidents], let wishes = reports[.wishes], let transfers = reports[.transfers]
        else { return nil }
        let total = Labels.text("row.total", language), unitRow = Labels.text("row.unit", language)
        let directRow = Labels.text("row.direct", language), all = Labels.text("all", language)

        func value(_ table: ReportTable, _ row: [ReportValue], _ key: String) -> ReportValue {
            table.index(of: key).map { row[$0] } ?? .null
        }
        func rows(_ table: ReportTable, where row: String, category: Bool = false) -> [[ReportValue]] {
            table.rows.filter {
                value(table, $0, "row") == .text(row) && (!category || value(table, $0, "category") == .text(all))
            }
        }
        func sum(_ table: ReportTable, _ rows: [[ReportValue]], _ key: String) -> Double {
            rows.reduce(0) { $0 + (value(table, $1, key).double ?? 0) }
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

        // Sub-units: members from the roll-up (depth 1), the rest from the per-unit rows; then
        // what the unit holds itself (members of the unit minus its sub-units', the `direct` rows).
        func byUnit(_ table: ReportTable, _ rows: [[ReportValue]]) -> [String: [ReportValue]] {
            Dictionary(rows.map { (value(table, $0, "unit").description, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let orderRows = byUnit(orders, rows(orders, where: unitRow, category: true))
        let incidentRows = byUnit(incidents, rows(incidents, where: unitRow))
        var hourSums: [String: Double] = [:]
        for row in rows(hours, where: unitRow) { hourSums[value(hours, row, "unit").description, default: 0] += value(hours, row, "hours").double ?? 0 }
        let children = members.rows.filter { value(members, $0, "depth") == .int(1) }
        var subUnits = children.map { row -> SubUnit in
            let id = value(members, row, "unit").description
            return SubUnit(
                id: id, name: value(members, row, "name").description, kind: value(members, row, "kind").description,
                members: value(members, row, "total").description,
                orders: orderRows[id].map { value(orders, $0, "total").description } ?? "0",
                hours: ReportValue.format(hourSums[id] ?? 0),
                openIncidents: incidentRows[id].map { value(incidents, $0, "open").description } ?? "0", link: true, direct: false)
        }
        let directMembers = (memberRoot.flatMap { value(members, $0, "total").double } ?? 0) - sum(members, children, "total")
        let directOrders = sum(orders, rows(orders, where: directRow, category: true), "total")
        let directHours = sum(hours, rows(hours, where: directRow), "hours")
        let directIncidents = sum(incidents, rows(incidents, where: directRow), "open")
        if !subUnits.isEmpty && [directMembers, directOrders, directHours, directIncidents].contains(where: { $0 != 0 }) {
            subUnits.append(
                SubUnit(
                    id: "", name: directRow, kind: "", members: ReportValue.format(directMembers), orders: ReportValue.format(directOrders),
                    hours: ReportValue.format(directHours), openIncidents: ReportValue.format(directIncidents), link: false, direct: true))
        }

        let ordersChart = SVGChart.bars(ReportBuilder.orderStates.map { state in
            (label: Labels.text(state, language), value: orderTotal.map { value(orders, $0, state).double ?? 0 } ?? 0)
        })
        return CountyPanel(
            cards: cards, subUnits: subUnits, hasSubUnits: !subUnits.isEmpty, ordersChart: ordersChart,
            hoursChart: SVGChart.line(Array(hoursByMonth.suffix(12))))
    }
}
