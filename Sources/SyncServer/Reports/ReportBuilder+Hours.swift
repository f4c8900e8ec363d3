extension ReportBuilder {
    /// Time-bank hours per group (total, sub-units, direct) per month: entries and hours
    /// (corrections are negative entries, so hours are plain sums).
    func hours() async throws -> ([String], [[ReportValue]]) {
        let base = Self.hoursBase(org)
        let range = dates("date")
        var sums: [Group: [String: (entries: Int64, hours: Double)]] = [:]
        var hasDirect = false
        for row in try await db.rows(
            "SELECT scope, month, count(*), \(db.dialect.total("hours")) \(base.sql)\(range.sql) GROUP BY scope, month",
            base.arguments + range.arguments)
        {
            let month = row.text(1) ?? ""
            let entries = row.int(2) ?? 0
            let hours = row.double(3) ?? 0
            for group in groups(of: row.text(0) ?? "") {
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
    func teamHours() async throws -> ([String], [[ReportValue]]) {
        let base = Self.hoursBase(org)
        let range = dates("date")
        var teams: [String: (name: String, unit: String)] = [:]
        for row in try await db.rows(
            "SELECT r.rid, \(value("n")), r.scope FROM records r \(Self.field("n", "name")) WHERE r.type = 'volunteerTeam' AND r.deleted = 0", [])
        {
            teams[row.text(0) ?? ""] = (row.text(1) ?? "", row.text(2) ?? "")
        }
        let rows = try await db.rows(
            """
            SELECT coalesce(team, '') AS team, month, count(*), \(db.dialect.total("hours"))
            \(base.sql)\(range.sql) GROUP BY coalesce(team, ''), month ORDER BY 1, 2
            """,
            base.arguments + range.arguments)
        let table = rows.map { row -> [ReportValue] in
            let team = row.text(0) ?? ""
            let known = teams[team]
            let name: ReportValue = team.isEmpty ? .text(Labels.text("noTeam", language)) : known.map { .text($0.name) } ?? .null
            let unit: ReportValue = known.map { .text($0.unit) } ?? .null
            return [team.isEmpty ? .null : .text(team), name, unit, .text(row.text(1) ?? ""), .int(row.int(2) ?? 0), .number(row.double(3) ?? 0)]
        }
        return (["team", "teamName", "unit", "month", "entries", "hours"], table)
    }

    /// The time-bank balance of every member of the subtree: the sum of their entries
    /// (wherever recorded), members without entries at 0; highest balance first. With a limit,
    /// the top members among those with entries.
    func balances() async throws -> ([String], [[ReportValue]]) {
        let range = dates("date")
        let members = "SELECT rid FROM rf_member WHERE deleted = 0 AND scope \(OrgIndex.inSubtree)"
        let sql: String
        if query.limit != nil {
            // The top of the time bank: rank the entries' members first, then name the few kept.
            sql = """
                SELECT m.rid, m.name, m.scope, b.entries, b.hours FROM (
                    SELECT member, count(*) AS entries, \(db.dialect.total("hours")) AS hours FROM rf_hours
                    WHERE deleted = 0\(range.sql) AND member IN (\(members))
                    GROUP BY member ORDER BY 3 DESC, member LIMIT ?
                ) b JOIN rf_member m ON m.rid = b.member
                ORDER BY b.hours DESC, m.rid
                """
        } else {
            sql = """
                SELECT m.rid, m.name, m.scope, coalesce(b.entries, 0), coalesce(b.hours, 0)
                FROM rf_member m LEFT JOIN (
                    SELECT member, count(*) AS entries, \(db.dialect.total("hours")) AS hours FROM rf_hours
                    WHERE deleted = 0\(range.sql) AND member IN (\(members))
                    GROUP BY member
                ) b ON b.member = m.rid
                WHERE m.deleted = 0 AND m.scope \(OrgIndex.inSubtree)
                ORDER BY 5 DESC, m.rid LIMIT ?
                """
        }
        let arguments: [ReportArgument] =
            query.limit != nil
            ? range.arguments + org.subtreeArguments + [limitArgument]
            : range.arguments + org.subtreeArguments + org.subtreeArguments + [db.dialect.noLimit]
        var table: [[ReportValue]] = []
        for row in try await db.rows(sql, arguments) {
            let unit = row.text(2) ?? ""
            table.append([
                .text(row.text(0) ?? ""), .text(row.text(1) ?? ""), .text(unit), .text(org.units[unit]?.name ?? ""), .int(row.int(3) ?? 0),
                .number(row.double(4) ?? 0),
            ])
        }
        return (["member", "memberName", "unit", "unitName", "entries", "balance"], table)
    }

    /// `FROM rf_hours WHERE` live entries of the subtree, and its arguments.
    static func hoursBase(_ org: OrgIndex) -> (sql: String, arguments: [ReportArgument]) {
        ("FROM rf_hours WHERE deleted = 0 AND scope \(OrgIndex.inSubtree)", org.subtreeArguments)
    }
}
