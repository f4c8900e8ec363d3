extension ReportBuilder {
    static let orderStates = ["ordered", "dispatched", "accepted", "done", "reviewed"]
    static let orderCategories = ["legalAdvice", "applianceRepair", "billPayment", "parcelPickup", "elderCare", "other"]

    /// What is summed for one group and category of orders.
    struct OrderTally {
        var states: [String: Int64] = [:]
        var total: Int64 = 0
        var ratingSum: Double = 0
        var ratingCount: Int64 = 0
        /// How many orders took each number of days from ordered to done.
        var days: [Int: Int64] = [:]

        /// The median of the days histogram (the mean of the two middle values for an even count).
        var medianDays: Double? {
            let count = days.values.reduce(0, +)
            guard count > 0 else { return nil }
            let sorted = days.sorted { $0.key < $1.key }
            func value(at position: Int64) -> Int {
                var seen: Int64 = 0
                for (day, n) in sorted {
                    seen += n
                    if position < seen { return day }
                }
                return sorted.last!.key
            }
            return count % 2 == 1
                ? Double(value(at: count / 2)) : (Double(value(at: count / 2 - 1)) + Double(value(at: count / 2))) / 2
        }
    }

    /// Service orders per group (total, sub-units, direct) and category (and all categories):
    /// counts by state, median days from `orderedOn` to `doneOn`, average rating.
    func orders() async throws -> ([String], [[ReportValue]]) {
        let range = dates("ordered_on")
        let base = (sql: "FROM rf_order WHERE deleted = 0 AND scope \(OrgIndex.inSubtree)", arguments: org.subtreeArguments)
        var tallies: [Group: [String: OrderTally]] = [:]
        var hasDirect = false
        func add(_ scope: String, _ category: String, _ body: (inout OrderTally) -> Void) {
            for group in groups(of: scope) {
                if group.row == "direct" { hasDirect = true }
                body(&tallies[group, default: [:]][category, default: OrderTally()])
                body(&tallies[group, default: [:]]["all", default: OrderTally()])
            }
        }
        for row in try await db.rows(
            "SELECT scope, category, state, count(*), \(db.dialect.total("rating")), count(rating) \(base.sql)\(range.sql) GROUP BY scope, category, state",
            base.arguments + range.arguments)
        {
            let state = row.text(2) ?? ""
            let n = row.int(3) ?? 0
            let ratingSum = row.double(4) ?? 0
            let ratingCount = row.int(5) ?? 0
            add(row.text(0) ?? "", row.text(1) ?? "other") { tally in
                tally.states[state, default: 0] += n
                tally.total += n
                tally.ratingSum += ratingSum
                tally.ratingCount += ratingCount
            }
        }
        let days = db.dialect.days("ordered_on", "done_on")
        for row in try await db.rows(
            """
            SELECT scope, category, \(days), count(*)
            \(base.sql)\(range.sql) AND done_on IS NOT NULL AND ordered_on IS NOT NULL GROUP BY scope, category, \(days)
            """,
            base.arguments + range.arguments)
        {
            let days = Int(row.int(2) ?? 0)
            let n = row.int(3) ?? 0
            add(row.text(0) ?? "", row.text(1) ?? "other") { $0.days[days, default: 0] += n }
        }
        let columns = Self.groupColumns + ["category"] + Self.orderStates + ["total", "medianDays", "avgRating"]
        var rows: [[ReportValue]] = []
        for group in allGroups(hasDirect: hasDirect) {
            let byCategory = tallies[group] ?? [:]
            for category in ["all"] + Self.orderCategories where category == "all" || byCategory[category] != nil {
                let tally = byCategory[category] ?? OrderTally()
                rows.append(
                    cells(group) + [label(category)] + Self.orderStates.map { .int(tally.states[$0] ?? 0) }
                        + [.int(tally.total), tally.medianDays.map(ReportValue.number) ?? .null,
                           tally.ratingCount > 0 ? .number(tally.ratingSum / Double(tally.ratingCount)) : .null])
            }
        }
        return (columns, rows)
    }
}
