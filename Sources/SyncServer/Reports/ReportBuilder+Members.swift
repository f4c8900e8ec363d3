import GRDB

extension ReportBuilder {
    static let memberCategories = ["direct", "inService", "retired", "floating", "laidOff"]

    /// Members per unit of the subtree (each unit counting everything below it) by category.
    func members() throws -> ([String], [[ReportValue]]) {
        let base = live("member", joins: [Self.field("c", "category")])
        var counts: [String: [String: Int64]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT r.scope, c.value, count(*) \(base.sql) GROUP BY r.scope, c.value", arguments: base.arguments)
        while let row = try rows.next() {
            let scope: String = row[0]
            let category: String = row[1] ?? ""
            let count: Int64 = row[2]
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
