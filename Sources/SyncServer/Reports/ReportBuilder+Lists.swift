import GRDB

extension ReportBuilder {
    /// Transfers not yet received whose source or destination lies in the subtree, oldest first.
    func transfers() throws -> ([String], [[ReportValue]]) {
        let range = dates("q.value")
        let sql = """
            SELECT r.rid, m.value, mn.value, r.scope, r.scope2, s.value, q.value
            FROM records r \(Self.field("m", "memberId")) \(Self.field("s", "state")) \(Self.field("q", "requestedOn"))
            LEFT JOIN fields mn ON mn.type = 'member' AND mn.rid = m.value AND mn.field = 'name' AND mn.elem = ''
            WHERE r.type = 'transfer' AND r.deleted = 0 AND coalesce(s.value, '') != 'received'
              AND (r.scope \(OrgIndex.inSubtree) OR r.scope2 \(OrgIndex.inSubtree))\(range.sql)
            ORDER BY q.value, r.rid LIMIT ?
            """
        let todayNumber = CivilDate.days(today) ?? 0
        let rows = try Row.fetchCursor(db, sql: sql, arguments: org.subtreeArguments + org.subtreeArguments + range.arguments + [query.limit ?? -1])
        var table: [[ReportValue]] = []
        while let row = try rows.next() {
            let requested: String? = row[6]
            let days: ReportValue = requested.flatMap(CivilDate.days).map { .int(Int64(todayNumber - $0)) } ?? .null
            table.append([
                .text(row[0]), .text(row[1] ?? ""), .text(row[2] ?? ""), .text(row[3]), .text(row[4] ?? ""),
                label(row[5]), requested.map(ReportValue.text) ?? .null, days,
            ])
        }
        return (["transfer", "member", "memberName", "from", "to", "state", "requestedOn", "daysInFlight"], table)
    }

    /// Partner units of the subtree with their agreement date and latest two-way rating.
    func partners() throws -> ([String], [[ReportValue]]) {
        let base = live(
            "partnerUnit",
            joins: [Self.field("n", "name"), Self.field("k", "kind"), Self.field("s", "signedOn"), Self.field("y", "ratingYear"),
                Self.field("b", "ratingByUnit"), Self.field("o", "ratingOfUnit")])
        let rows = try Row.fetchCursor(
            db, sql: "SELECT r.rid, n.value, k.value, r.scope, s.value, y.value, b.value, o.value \(base.sql) ORDER BY r.scope, r.rid LIMIT ?",
            arguments: base.arguments + [query.limit ?? -1])
        var table: [[ReportValue]] = []
        while let row = try rows.next() {
            let unit: String = row[3]
            table.append([
                .text(row[0]), .text(row[1] ?? ""), label(row[2]), .text(unit), .text(org.units[unit]?.name ?? ""),
                (row[4] as String?).map(ReportValue.text) ?? .null, (row[5] as Int64?).map(ReportValue.int) ?? .null,
                (row[6] as Double?).map(ReportValue.number) ?? .null, (row[7] as Double?).map(ReportValue.number) ?? .null,
            ])
        }
        return (["partner", "name", "partnerKind", "unit", "unitName", "signedOn", "ratingYear", "ratingByUnit", "ratingOfUnit"], table)
    }
}
