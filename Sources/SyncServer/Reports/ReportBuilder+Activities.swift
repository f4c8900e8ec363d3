extension ReportBuilder {
    /// Activities per group per month: how many, check-ins (present attendees), and the same
    /// for the county's unified activity days.
    func activities() async throws -> ([String], [[ReportValue]]) {
        let base = live("activity", joins: [Self.field("d", "date"), Self.field("k", "kind")])
        let range = dates(value("d"))
        let month = "substr(\(value("d")), 1, 7)", unified = "coalesce(\(value("k")) = 'unifiedActivityDay', false)"
        let sql = """
            SELECT r.scope, \(month), \(unified), count(*),
                sum((SELECT count(*) FROM fields a WHERE a.type = r.type AND a.rid = r.rid AND a.field = 'attendees' AND a.elem != '' AND \(db.dialect.isTrue("a"))))
            \(base.sql)\(range.sql) GROUP BY r.scope, \(month), \(unified)
            """
        var sums: [Group: [String: [Int64]]] = [:]
        var hasDirect = false
        for row in try await db.rows(sql, base.arguments + range.arguments) {
            let month = row.text(1) ?? ""
            let unified = row.bool(2) ?? false
            let count = row.int(3) ?? 0
            let attendance = row.int(4) ?? 0
            for group in groups(of: row.text(0) ?? "") {
                if group.row == "direct" { hasDirect = true }
                var sum = sums[group, default: [:]][month] ?? [0, 0, 0, 0]
                sum[0] += count
                sum[1] += attendance
                if unified {
                    sum[2] += count
                    sum[3] += attendance
                }
                sums[group, default: [:]][month] = sum
            }
        }
        var table: [[ReportValue]] = []
        for group in allGroups(hasDirect: hasDirect) {
            for (month, sum) in (sums[group] ?? [:]).sorted(by: { $0.key < $1.key }) {
                table.append(cells(group) + [.text(month)] + sum.map(ReportValue.int))
            }
        }
        return (Self.groupColumns + ["month", "activities", "attendance", "unifiedDays", "unifiedAttendance"], table)
    }

    /// Micro-wishes per group by state (posted, claimed, fulfilled), by `postedOn`.
    func wishes() async throws -> ([String], [[ReportValue]]) {
        let states = ["posted", "claimed", "fulfilled"]
        let (columns, rows, _) = try await countByState(type: "microWish", dateField: "postedOn", states: states)
        return (columns, rows)
    }

    /// Grid incidents per group by state, the open ones (reported or handling), and the age in
    /// days of the oldest open one (by `reportedOn`, as of today).
    func incidents() async throws -> ([String], [[ReportValue]]) {
        let states = ["reported", "handling", "resolved"]
        let (columns, rows, oldest) = try await countByState(type: "gridIncident", dateField: "reportedOn", states: states, openStates: ["reported", "handling"])
        let todayNumber = CivilDate.days(today) ?? 0
        let withOpen = zip(rows, oldest).map { row, date -> [ReportValue] in
            let open = (row[3].double ?? 0) + (row[4].double ?? 0)
            let age: ReportValue = date.flatMap(CivilDate.days).map { .int(Int64(todayNumber - $0)) } ?? .null
            return row + [.int(Int64(open)), age]
        }
        return (columns + ["open", "oldestOpenDays"], withOpen)
    }

    /// Records of `type` per group by their `state`, within the date range on `dateField`; with
    /// the earliest `dateField` among records in `openStates`, per row.
    func countByState(type: String, dateField: String, states: [String], openStates: Set<String> = [])
        async throws -> ([String], [[ReportValue]], [String?])
    {
        let base = live(type, joins: [Self.field("s", "state"), Self.field("d", dateField)])
        let range = dates(value("d"))
        var counts: [Group: [String: Int64]] = [:]
        var earliest: [Group: String] = [:]
        var hasDirect = false
        for row in try await db.rows(
            "SELECT r.scope, \(value("s")), count(*), min(\(value("d"))) \(base.sql)\(range.sql) GROUP BY r.scope, \(value("s"))",
            base.arguments + range.arguments)
        {
            let state = row.text(1) ?? ""
            let count = row.int(2) ?? 0
            let first = row.text(3)
            for group in groups(of: row.text(0) ?? "") {
                if group.row == "direct" { hasDirect = true }
                counts[group, default: [:]][state, default: 0] += count
                counts[group, default: [:]]["*", default: 0] += count
                if openStates.contains(state), let first, earliest[group].map({ first < $0 }) ?? true { earliest[group] = first }
            }
        }
        let groups = allGroups(hasDirect: hasDirect)
        let table = groups.map { group in
            cells(group) + states.map { .int(counts[group]?[$0] ?? 0) } + [.int(counts[group]?["*"] ?? 0)]
        }
        return (Self.groupColumns + states + ["total"], table, groups.map { earliest[$0] })
    }
}
