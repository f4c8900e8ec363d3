extension ReportBuilder {
    static let memberCategories = ["direct", "inService", "retired", "floating", "laidOff"]

    /// Members per unit of the subtree (each unit counting everything below it) by category.
    func members() async throws -> ([String], [[ReportValue]]) {
        var counts: [String: [String: Int64]] = [:]
        for row in try await db.rows(
            "SELECT scope, category, count(*) FROM rf_member WHERE deleted = 0 AND scope \(OrgIndex.inSubtree) GROUP BY scope, category",
            org.subtreeArguments)
        {
            let scope = row.text(0) ?? ""
            let category = row.text(1) ?? ""
            let count = row.int(2) ?? 0
            for unit in org.rollUp(of: scope) {
                counts[unit, default: [:]][category, default: 0] += count
                counts[unit, default: [:]]["*", default: 0] += count
            }
        }
        let columns = ["unit", "name", "kind", "depth"] + Self.memberCategories + ["total"]
        let table = org.subtree.map { unit -> [ReportValue] in
            let count = counts[unit.id] ?? [:]
            return [.text(unit.id), .text(unit.name), label(unit.kind), .int(Int64(org.depth(of: unit)))]
                + Self.memberCategories.map { .int(count[$0] ?? 0) } + [.int(count["*"] ?? 0)]
        }
        return (columns, table)
    }
}
