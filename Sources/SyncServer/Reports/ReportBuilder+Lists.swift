extension ReportBuilder {
    /// Transfers not yet received whose source or destination lies in the subtree, oldest first.
    func transfers() async throws -> ([String], [[ReportValue]]) {
        let range = dates(value("q"))
        let sql = """
            SELECT r.rid, \(value("m")), \(value("mn")), r.scope, r.scope2, \(value("s")), \(value("q"))
            FROM records r \(Self.field("m", "memberId")) \(Self.field("s", "state")) \(Self.field("q", "requestedOn"))
            LEFT JOIN fields mn ON mn.type = 'member' AND mn.rid = \(value("m")) AND mn.field = 'name' AND mn.elem = ''
            WHERE r.type = 'transfer' AND r.deleted = 0 AND coalesce(\(value("s")), '') != 'received'
              AND (r.scope \(OrgIndex.inSubtree) OR r.scope2 \(OrgIndex.inSubtree))\(range.sql)
            ORDER BY \(value("q")), r.rid LIMIT ?
            """
        let todayNumber = CivilDate.days(today) ?? 0
        var table: [[ReportValue]] = []
        for row in try await db.rows(sql, org.subtreeArguments + org.subtreeArguments + range.arguments + [limitArgument]) {
            let requested = row.text(6)
            let days: ReportValue = requested.flatMap(CivilDate.days).map { .int(Int64(todayNumber - $0)) } ?? .null
            table.append([
                .text(row.text(0) ?? ""), .text(row.text(1) ?? ""), .text(row.text(2) ?? ""), .text(row.text(3) ?? ""), .text(row.text(4) ?? ""),
                label(row.text(5)), requested.map(ReportValue.text) ?? .null, days,
            ])
        }
        return (["transfer", "member", "memberName", "from", "to", "state", "requestedOn", "daysInFlight"], table)
    }

    /// Partner units of the subtree with their agreement date and latest two-way rating.
    func partners() async throws -> ([String], [[ReportValue]]) {
        let base = live(
            "partnerUnit",
            joins: [Self.field("n", "name"), Self.field("k", "kind"), Self.field("s", "signedOn"), Self.field("y", "ratingYear"),
                Self.field("b", "ratingByUnit"), Self.field("o", "ratingOfUnit")])
        let values = ["n", "k", "s", "y", "b", "o"].map(value).joined(separator: ", ")
        var table: [[ReportValue]] = []
        for row in try await db.rows(
            "SELECT r.rid, r.scope, \(values) \(base.sql) ORDER BY r.scope, r.rid LIMIT ?", base.arguments + [limitArgument])
        {
            let unit = row.text(1) ?? ""
            table.append([
                .text(row.text(0) ?? ""), .text(row.text(2) ?? ""), label(row.text(3)), .text(unit), .text(org.units[unit]?.name ?? ""),
                row.text(4).map(ReportValue.text) ?? .null, row.int(5).map(ReportValue.int) ?? .null,
                row.double(6).map(ReportValue.number) ?? .null, row.double(7).map(ReportValue.number) ?? .null,
            ])
        }
        return (["partner", "name", "partnerKind", "unit", "unitName", "signedOn", "ratingYear", "ratingByUnit", "ratingOfUnit"], table)
    }
}
