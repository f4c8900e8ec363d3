import Foundation

/// The view model of the overview page of one org unit: the county panel (figures, sub-units,
/// charts) where the hub's schema has the county types, station sync health, the view of any
/// record type and download links, all labels in one language. Built from the same reports the
/// API serves, so the page and the CSV files agree.
struct DashboardPage: Sendable {
    struct Crumb: Sendable {
        var id: String
        var name: String
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
    /// The county figures, charts and sub-units; `nil` on a hub without the county types.
    var county: CountyPanel?
    var stations: [Station]
    var hasStations: Bool
    var topMembers: [TopMember]
    var hasTopMembers: Bool
    var records: RecordsPanel
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

    /// Builds the page of the last unit of `lineage` from its reports: `sync` always, the
    /// county reports when the hub offers them (`available`).
    static func build(
        reports: [HubReport: ReportTable], available: [HubReport], records: RecordsPanel, language: ReportLanguage,
        lineage: [(id: String, name: String)], unitKind: String, topAllowed: String, generated: String
    ) -> DashboardPage {
        func value(_ table: ReportTable, _ row: [ReportValue], _ key: String) -> ReportValue {
            table.index(of: key).map { row[$0] } ?? .null
        }
        let stations = (reports[.sync]?.rows ?? []).map { row -> Station in
            let sync = reports[.sync]!
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
        let topMembers = (reports[.balances]?.rows ?? []).map { row in
            let balances = reports[.balances]!
            return TopMember(
                name: value(balances, row, "memberName").description, unit: value(balances, row, "unitName").description,
                entries: value(balances, row, "entries").description, balance: value(balances, row, "balance").description)
        }
        let unit = lineage.last!
        let downloads = available.map { report in
            Download(title: report.title(language), href: "/v1/reports/\(report.rawValue)?org=\(Self.query(unit.id))&format=csv&lang=\(language.rawValue)&bom=1")
        }
        let top = lineage.firstIndex { $0.id == topAllowed } ?? 0
        let crumbs = lineage[top...].map { Crumb(id: $0.id, name: $0.name, link: $0.id != unit.id) }
        return DashboardPage(
            t: labels(language), lang: language.htmlTag, otherLang: language == .zh ? "en" : "zh", unitID: unit.id, unitName: unit.name,
            unitKind: unitKind, crumbs: Array(crumbs), county: CountyPanel.build(reports, language: language),
            stations: stations, hasStations: !stations.isEmpty, topMembers: topMembers, hasTopMembers: !topMembers.isEmpty,
            records: records, downloads: downloads, generated: generated)
    }

    /// A query parameter value, percent-encoded.
    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
