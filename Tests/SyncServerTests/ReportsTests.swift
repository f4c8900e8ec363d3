import Foundation
import SyncModel
import SyncServer
import Testing

/// Every report against the seeded county, each expected figure computed here from the seed's
/// plain values, plus roll-up consistency across the levels of the tree.
@Suite struct ReportsTests {
    let fixture: HubFixture
    let seed = ReportsSeed()

    init() async throws {
        fixture = try await HubFixture()
        try seed.write(to: fixture.sqlite.replica)
    }

    func report(_ report: HubReport, org: String? = nil, from: String? = nil, to: String? = nil) async throws -> ReportTable {
        try await fixture.store.report(report, query: ReportQuery(org: org, from: from, to: to, language: .en))
    }

    /// The row whose `row` column is `kind` ("Total", "Sub-unit", "Held directly") and unit `unit`.
    func row(_ table: ReportTable, _ kind: String, _ unit: String, extra: [String: String] = [:]) -> [String: ReportValue]? {
        table.records.first { row in
            row["row"] == .text(kind) && row["unit"] == .text(unit) && extra.allSatisfy { row[$0.key] == .text($0.value) }
        }
    }

    @Test func membersRollUpTheTree() async throws {
        // Given the seeded members (one deleted)
        let live = seed.members.filter { !$0.deleted }
        // When the members report runs for the county
        let table = try await report(.members)
        // Then every unit counts its subtree by category, and the levels add up
        for unit in ["yc", "yc-t01", "yc-t01-c01", "yc-t01-c02", "yc-t02", "yc-t02-c01"] {
            let row = try #require(table.records.first { $0["unit"] == .text(unit) })
            let mine = live.filter { ReportsSeed.within($0.unit, unit) }
            #expect(row["total"] == .int(Int64(mine.count)), "\(unit)")
            for category in ["direct", "inService", "retired", "floating", "laidOff"] {
                #expect(row[category] == .int(Int64(mine.filter { $0.category == category }.count)), "\(unit) \(category)")
            }
        }
        let total = { (unit: String) in table.records.first { $0["unit"] == .text(unit) }!["total"]!.double! }
        let direct = Double(live.filter { $0.unit == "yc-t01" }.count)
        #expect(total("yc") == total("yc-t01") + total("yc-t02"))
        #expect(total("yc-t01") == total("yc-t01-c01") + total("yc-t01-c02") + direct)
        #expect(total("yc-t02") == total("yc-t02-c01"))
        #expect(table.records.first?["depth"] == .int(0))
    }

    @Test func ordersByStateCategoryMedianAndRating() async throws {
        // Given the seeded orders, one deleted
        let live = seed.orders.filter { !$0.deleted }
        // When the orders report runs for the county and for township yc-t01
        let county = try await report(.orders)
        let township = try await report(.orders, org: "yc-t01")
        // Then the totals, states, medians and ratings match the seed
        func expect(_ row: [String: ReportValue]?, _ orders: [ReportsSeed.Order], _ label: String) {
            guard let row else { Issue.record("no row for \(label)"); return }
            #expect(row["total"] == .int(Int64(orders.count)), "\(label)")
            for state in ["ordered", "dispatched", "accepted", "done", "reviewed"] {
                #expect(row[state] == .int(Int64(orders.filter { $0.state == state }.count)), "\(label) \(state)")
            }
            let days = orders.compactMap { o in o.doneOn.map { CivilDateText.days(from: o.orderedOn, to: $0) } }.sorted()
            let median: Double? = days.isEmpty ? nil
                : days.count % 2 == 1 ? Double(days[days.count / 2]) : Double(days[days.count / 2 - 1] + days[days.count / 2]) / 2
            #expect(row["medianDays"]?.double == median, "\(label) median")
            let ratings = orders.compactMap(\.rating)
            let average = ratings.isEmpty ? nil : Double(ratings.reduce(0, +)) / Double(ratings.count)
            #expect(row["avgRating"]?.double.map { ($0 * 100).rounded() } == average.map { ($0 * 100).rounded() }, "\(label) rating")
        }
        expect(row(county, "Total", "yc", extra: ["category": "All"]), live, "county")
        expect(row(county, "Sub-unit", "yc-t02", extra: ["category": "All"]), live.filter { ReportsSeed.within($0.unit, "yc-t02") }, "yc-t02")
        expect(row(county, "Sub-unit", "yc-t01", extra: ["category": "Legal advice"]),
            live.filter { ReportsSeed.within($0.unit, "yc-t01") && $0.category == "legalAdvice" }, "yc-t01 legal")
        expect(row(township, "Held directly", "yc-t01", extra: ["category": "All"]), live.filter { $0.unit == "yc-t01" }, "yc-t01 direct")
        // And roll-ups agree: county = townships; township = communities + direct; levels agree
        let all = { (table: ReportTable, kind: String) in
            table.records.filter { $0["row"] == .text(kind) && $0["category"] == .text("All") }.map { $0["total"]!.double! }.reduce(0, +)
        }
        #expect(all(county, "Total") == all(county, "Sub-unit"))
        #expect(all(township, "Total") == all(township, "Sub-unit") + all(township, "Held directly"))
        #expect(row(county, "Sub-unit", "yc-t01", extra: ["category": "All"])?["total"] == row(township, "Total", "yc-t01", extra: ["category": "All"])?["total"])
    }

    @Test func ordersFilteredByDate() async throws {
        // Given orders over six months; When limited to March–April by orderedOn
        let table = try await report(.orders, from: "2025-03-01", to: "2025-04-30")
        // Then only those count, and the table says so
        let expected = seed.orders.filter { !$0.deleted && $0.orderedOn >= "2025-03-01" && $0.orderedOn <= "2025-04-30" }.count
        #expect(row(table, "Total", "yc", extra: ["category": "All"])?["total"] == .int(Int64(expected)))
        #expect(table.from == "2025-03-01" && table.to == "2025-04-30")
        await #expect(throws: SyncError.self) { try await report(.orders, from: "2025-02-30") }
    }

    @Test func volunteerHoursPerUnitMonthTeamAndMember() async throws {
        // Given time-bank entries including negative corrections
        let hours = try await report(.hours)
        let teams = try await report(.teamHours)
        let balances = try await report(.balances)
        // Then per-month totals, per-team totals and balances are plain sums
        for month in Set(seed.hours.map { String($0.date.prefix(7)) }) {
            let expected = seed.hours.filter { $0.date.hasPrefix(month) }.map(\.hours).reduce(0, +)
            #expect(row(hours, "Total", "yc", extra: ["month": month])?["hours"]?.double == expected, "\(month)")
            let t1 = seed.hours.filter { $0.date.hasPrefix(month) && ReportsSeed.within($0.unit, "yc-t01") }
            #expect(row(hours, "Sub-unit", "yc-t01", extra: ["month": month])?["entries"] == .int(Int64(t1.count)))
        }
        for team in seed.teams {
            let got = teams.records.filter { $0["team"] == .text(team.id) }.map { $0["hours"]!.double! }.reduce(0, +)
            #expect(got == seed.hours.filter { $0.team == team.id }.map(\.hours).reduce(0, +), "\(team.id)")
        }
        #expect(teams.records.contains { $0["team"] == .null && $0["teamName"] == .text("(no team)") })
        let live = seed.members.filter { !$0.deleted }
        #expect(balances.rows.count == live.count)
        for member in live {
            let got = balances.records.first { $0["member"] == .text(member.id) }?["balance"]?.double
            #expect(got == seed.hours.filter { $0.member == member.id }.map(\.hours).reduce(0, +), "\(member.id)")
        }
    }

    @Test func activitiesAndUnifiedDays() async throws {
        let table = try await report(.activities)
        for month in Set(seed.activities.map { String($0.date.prefix(7)) }) {
            let these = seed.activities.filter { $0.date.hasPrefix(month) }
            let unified = these.filter { $0.kind == "unifiedActivityDay" }
            let row = try #require(self.row(table, "Total", "yc", extra: ["month": month]))
            #expect(row["activities"] == .int(Int64(these.count)))
            #expect(row["attendance"] == .int(Int64(these.map(\.attendees.count).reduce(0, +))))
            #expect(row["unifiedDays"] == .int(Int64(unified.count)))
            #expect(row["unifiedAttendance"] == .int(Int64(unified.map(\.attendees.count).reduce(0, +))))
        }
    }

    @Test func wishesIncidentsTransfersPartners() async throws {
        let wishes = try await report(.wishes, org: "yc-t01")
        let incidents = try await report(.incidents)
        let transfers = try await report(.transfers, org: "yc-t02")
        let partners = try await report(.partners)
        for state in ["posted", "claimed", "fulfilled"] {
            let expected = seed.wishes.filter { ReportsSeed.within($0.unit, "yc-t01") && $0.state == state }.count
            #expect(row(wishes, "Total", "yc-t01")?[state] == .int(Int64(expected)))
        }
        let open = seed.incidents.filter { $0.state != "resolved" }
        let total = try #require(row(incidents, "Total", "yc"))
        #expect(total["open"] == .int(Int64(open.count)))
        #expect(total["resolved"] == .int(Int64(seed.incidents.count - open.count)))
        // The fixture's clock is 2025-06-15 in China.
        #expect(total["oldestOpenDays"] == .int(Int64(CivilDateText.days(from: open.map(\.reportedOn).min()!, to: "2025-06-15"))))
        let inFlight = seed.transfers.filter { $0.state != "received" && (ReportsSeed.within($0.from, "yc-t02") || ReportsSeed.within($0.to, "yc-t02")) }
        #expect(Set(transfers.column("transfer")) == Set(inFlight.map { ReportValue.text($0.id) }))
        #expect(partners.rows.count == seed.partners.count)
        #expect(partners.records.first { $0["partner"] == .text("p-1") }?["ratingByUnit"] == .number(91))
    }

    @Test func unknownOrgIsNotFound() async throws {
        await #expect(throws: SyncError.self) { try await report(.members, org: "nowhere") }
    }
}
