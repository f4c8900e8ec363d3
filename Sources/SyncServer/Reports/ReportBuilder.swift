import Foundation
import SyncModel

/// Computes one report over one consistent snapshot of the hub (``ReportDatabase``): SQL aggregates the records of the subtree
/// per org unit (never loading the records themselves), and the few hundred aggregate rows
/// are rolled up the org tree here, so that every total is the sum of its parts.
struct ReportBuilder {
    let db: any ReportDatabase
    let schema: Schema
    let org: OrgIndex
    let query: ReportQuery
    /// Now, in milliseconds since the epoch.
    let nowMillis: UInt64
    /// The groups each unit of the subtree counts in (computed once per report).
    let groupIndex: [String: [Group]]

    init(db: any ReportDatabase, schema: Schema, org: OrgIndex, query: ReportQuery, nowMillis: UInt64) {
        self.db = db
        self.schema = schema
        self.org = org
        self.query = query
        self.nowMillis = nowMillis
        var index: [String: [Group]] = [:]
        let total = Group(row: "total", unit: org.root)
        for unit in org.subtree {
            guard let child = org.group(of: unit.id) else { continue }
            if child == org.root.id {
                index[unit.id] = [total, Group(row: "direct", unit: org.root)]
            } else if let childUnit = org.units[child] {
                index[unit.id] = [total, Group(row: "unit", unit: childUnit)]
            }
        }
        self.groupIndex = index
    }

    var language: ReportLanguage { query.language }

    /// Today's date in China Standard Time (UTC+8), `YYYY-MM-DD`.
    var today: String { CivilDate.text(days: Int((Int64(nowMillis) + 8 * 3_600_000) / 86_400_000)) }

    func build(_ report: HubReport) async throws -> ReportTable {
        let (columns, rows): ([String], [[ReportValue]])
        switch report {
        case .members: (columns, rows) = try await members()
        case .orders: (columns, rows) = try await orders()
        case .hours: (columns, rows) = try await hours()
        case .teamHours: (columns, rows) = try await teamHours()
        case .balances: (columns, rows) = try await balances()
        case .activities: (columns, rows) = try await activities()
        case .wishes: (columns, rows) = try await wishes()
        case .incidents: (columns, rows) = try await incidents()
        case .transfers: (columns, rows) = try await transfers()
        case .partners: (columns, rows) = try await partners()
        case .sync: (columns, rows) = try await sync()
        }
        return ReportTable(
            report: report.rawValue, title: report.title(language), org: org.root.id,
            from: report.usesDates ? query.from : nil, to: report.usesDates ? query.to : nil, language: language,
            columns: columns.map { ReportTable.Column(key: $0, label: header($0)) }, rows: rows)
    }

    /// The header of column `key`: a `col.` label, else a value label (states, categories).
    func header(_ key: String) -> String {
        Labels.has("col.\(key)") ? Labels.text("col.\(key)", language) : Labels.text(key, language)
    }

    /// A localised label cell for an enum value (the value itself when it has no label).
    func label(_ value: String?) -> ReportValue {
        guard let value else { return .null }
        return .text(Labels.text(value, language))
    }

    // MARK: SQL pieces

    /// SQL joining field `field` of the record `r` as `alias` (its winning value is `alias.value`).
    static func field(_ alias: String, _ field: String, of record: String = "r") -> String {
        "LEFT JOIN fields \(alias) ON \(alias).type = \(record).type AND \(alias).rid = \(record).rid AND \(alias).field = '\(field)' AND \(alias).elem = ''"
    }

    /// A field row's winning value as text to compare and group (``ReportDialect/value``).
    func value(_ alias: String) -> String { db.dialect.value(alias) }

    /// SQL condition limiting `column` (a date) to the query's range, and its arguments.
    func dates(_ column: String) -> (sql: String, arguments: [ReportArgument]) {
        var sql = ""
        var arguments: [ReportArgument] = []
        if let from = query.from {
            sql += " AND \(column) >= ?"
            arguments.append(.text(from))
        }
        if let to = query.to {
            sql += " AND \(column) <= ?"
            arguments.append(.text(to))
        }
        return (sql, arguments)
    }

    /// The argument of `LIMIT ?`: the query's limit, or none.
    var limitArgument: ReportArgument { query.limit.map { .int(Int64($0)) } ?? db.dialect.noLimit }

    /// `FROM records r WHERE` live records of `type` in the subtree, plus `joins`; arguments.
    func live(_ type: String, joins: [String] = []) -> (sql: String, arguments: [ReportArgument]) {
        let sql = """
            FROM records r \(joins.joined(separator: " "))
            WHERE r.type = '\(type)' AND r.deleted = 0 AND r.scope \(OrgIndex.inSubtree)
            """
        return (sql, org.subtreeArguments)
    }

    // MARK: Rows per unit and sub-unit

    /// The rows of a per-unit report: the root's total, each child, and what the root holds
    /// directly (only when it holds something).
    struct Group: Hashable {
        /// `total`, `unit` or `direct`.
        var row: String
        var unit: OrgIndex.Unit

        static func == (lhs: Group, rhs: Group) -> Bool { lhs.row == rhs.row && lhs.unit.id == rhs.unit.id }
        func hash(into hasher: inout Hasher) {
            hasher.combine(row)
            hasher.combine(unit.id)
        }
    }

    /// The groups a record of `scope` counts in: the total, and its child (or `direct`).
    func groups(of scope: String) -> [Group] { groupIndex[scope] ?? [] }

    /// Every group in row order; `direct` only when `hasDirect`.
    func allGroups(hasDirect: Bool) -> [Group] {
        [Group(row: "total", unit: org.root)] + org.children.map { Group(row: "unit", unit: $0) }
            + (hasDirect ? [Group(row: "direct", unit: org.root)] : [])
    }

    /// The leading cells of a group row: row kind, unit id, unit name.
    func cells(_ group: Group) -> [ReportValue] {
        [.text(Labels.text("row.\(group.row)", language)), .text(group.unit.id), .text(group.unit.name)]
    }

    /// The leading columns of a group row.
    static let groupColumns = ["row", "unit", "name"]
}

/// Calendar arithmetic on `YYYY-MM-DD` text (proleptic Gregorian, days since 1970-01-01).
enum CivilDate {
    /// The day number of a date, `nil` if malformed.
    static func days(_ text: String) -> Int? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let (y0, m, d) = (parts[0], parts[1], parts[2])
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number.
    static func text(days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }
}
