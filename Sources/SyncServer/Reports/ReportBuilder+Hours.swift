import GRDB

extension ReportBuilder {
    /// Time-bank hours per group (total, sub-units, direct) per month: entries and hours
    /// (corrections are negative entries, so hours are plain sums).
    func hours() throws -> ([String], [[ReportValue]]) {
        let base = live("volunteerHours", joins: [Self.field("d", "date"), Self.field("h", "hours")])
        let range = dates("d.value")
        var sums: [Group: [String: (entries: Int64, hours: Double)]] = [:]
        var hasDirect = false
        let rows = try Row.fetchCursor(
            db, sql: "SELECT r.scope, substr(d.value, 1, 7) AS month, count(*), total(h.value) \(base.sql)\(range.sql) GROUP BY r.scope, month",
            arguments: base.arguments + range.arguments)
        while let row = try rows.next() {
            let month: String = row[1] ?? ""
            let entries: Int64 = row[2]
            let hours: Double = row[3]
            for group in groups(of: row[0]) {
                if group.row == "direct" { hasDirect = true }
                let old = sums[group, default: [:]][month] ?? (0, 0)
                sums[group, default: [:]][month] = (old.entries + entries, old.hours + hours)
            }
        }
        var table: [[ReportValue]] = []
        for group in allGroups(hasDirect: hasDirect) {
            for (month, sum) in (sums[group] ?? [:]).sorted(by: { $0.key < $1.key }) {
                table.append(cells(group) + [.text(month), .int(sum.entries), .number(sum.hours)])
            }
        }
        return (Self.groupColumns + ["month", "entries", "hours"], table)
    }

    /// Time-bank hours per volunteer team per month, for entries recorded in the subtree.
    func teamHours() throws -> ([String], [[ReportValue]]) {
        let base = live("volunteerHours", joins: [Self.field("d", "date"), Self.field("h", "hours"), Self.field("t", "teamId")])
        let range = dates("d.value")
        var teams: [String: (name: String, unit: String)] = [:]
        let names = try Row.fetchCursor(
            db, sql: "SELECT r.rid, n.value, r.scope FROM records r \(Self.field("n", "name")) WHERE r.type = 'volunteerTeam' AND r.deleted = 0")
        while let row = try names.next() { teams[row[0]] = (row[1] ?? "", row[2]) }
        let rows = try Row.fetchAll(
            db, sql: """
                SELECT coalesce(t.value, '') AS team, substr(d.value, 1, 7) AS month, count(*), total(h.value)
                \(base.sql)\(range.sql) GROUP BY team, month ORDER BY team, month
                """,
            arguments: base.arguments + range.arguments)
        let table = rows.map { row -> [ReportValue] in
            let team: String = row[0]
            let known = teams[team]
            let name: ReportValue = team.isEmpty ? .text(Labels.text("noTeam", language)) : known.map { .text($0.name) } ?? .null
            let unit: ReportValue = known.map { .text($0.unit) } ?? .null
            return [team.isEmpty ? .null : .text(team), name, unit, .text(row[1] ?? ""), .int(row[2]), .number(row[3])]
        }
        return (["team", "teamName", "unit", "month", "entries", "hours"], table)
    }

    /// The time-bank balance of every member of the subtree: the sum of their entries
    /// (wherever recorded), members without entries at 0.
    func balances() throws -> ([String], [[ReportValue]]) {
        let range = dates("hd.value")
        let balance = """
            LEFT JOIN (
                SELECT m.value AS member, count(*) AS entries, total(hh.value) AS hours
                FROM fields m
                JOIN records hr ON hr.type = m.type AND hr.rid = m.rid AND hr.deleted = 0
                \(Self.field("hh", "hours", of: "m")) \(Self.field("hd", "date", of: "m"))
                WHERE m.type = 'volunteerHours' AND m.field = 'memberId' AND m.elem = ''\(range.sql)
                GROUP BY m.value
            ) b ON b.member = r.rid
            """
        let base = live("member", joins: [Self.field("n", "name"), balance])
        let sql = "SELECT r.rid, n.value, r.scope, coalesce(b.entries, 0), coalesce(b.hours, 0) \(base.sql) ORDER BY r.scope, r.rid"
        let rows = try Row.fetchCursor(db, sql: sql, arguments: range.arguments + base.arguments)
        var table: [[ReportValue]] = []
        while let row = try rows.next() {
            let unit: String = row[2]
            table.append([.text(row[0]), .text(row[1] ?? ""), .text(unit), .text(org.units[unit]?.name ?? ""), .int(row[3]), .number(row[4])])
        }
        return (["member", "memberName", "unit", "unitName", "entries", "balance"], table)
    }
}
