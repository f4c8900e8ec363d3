import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import SyncServer
import Testing

/// The overview page's figures agree with each other (issue 20): a township's sub-unit table
/// has the "held directly" row its reports have, so its rows add up to the cards; the line
/// chart labels its y-axis at round values; charts scale to their card (a view box, no fixed
/// width).
@Suite struct DashboardFiguresTests {
    let fixture: HubFixture
    let adminToken: String

    init() async throws {
        fixture = try await HubFixture()
        try ReportsSeed().write(to: fixture.sqlite.replica)
        adminToken = try await fixture.store.addAdminToken(name: "admin").token
    }

    /// The page at `uri`, signed in as the admin.
    func page(_ uri: String) async throws -> String {
        let adminToken = adminToken
        return try await fixture.application().test(.router) { client in
            let (_, _, headers) = try await client.call(
                .post, "/login", headers: [.contentType: "application/x-www-form-urlencoded"], body: Data("token=\(adminToken)".utf8))
            let cookie = String(try #require(headers[values: .setCookie].first { $0.hasPrefix("tributary_session=") }).prefix { $0 != ";" })
            return String(decoding: try await client.call(.get, uri, headers: [.cookie: cookie]).body, as: UTF8.self)
        }
    }

    /// The numbers of the cells of `html`'s rows matching `row` (a regex over one `<tr>`).
    static func numbers(in html: String, section: String) -> [[Double]] {
        guard let start = html.range(of: "<section id=\"\(section)\"")?.upperBound,
            let end = html.range(of: "</section>", range: start..<html.endIndex)?.lowerBound
        else { return [] }
        return html[start..<end].components(separatedBy: "<tr").dropFirst(2).map { row in
            row.components(separatedBy: "<td class=\"n\">").dropFirst().compactMap { Double($0.prefix { $0 != "<" }) }
        }
    }

    /// The value of the card labelled `label`.
    static func card(_ label: String, in html: String) -> Double? {
        guard let end = html.range(of: "</div><div class=\"l\">\(label)</div>")?.lowerBound else { return nil }
        let start = html[..<end].range(of: "<div class=\"v\">", options: .backwards)!.upperBound
        return Double(html[start..<end])
    }

    @Test func aTownshipsSubUnitRowsAddUpToItsCards() async throws {
        // Given township yc-t01, which holds members, orders and hours itself besides its communities'
        // When its page is shown
        let html = try await page("/org/yc-t01?lang=en")
        // Then the sub-unit table ends with a "Held directly" row
        #expect(html.contains("<tr class=\"direct\"><td class=\"name\">Held directly</td>"))
        let rows = Self.numbers(in: html, section: "subunits")
        #expect(rows.count == 3)
        // And each column of the table adds up to its card (members, orders, hours, open incidents)
        for (column, label) in ["Members", "Service orders", "Time bank hours", "Open grid incidents"].enumerated() {
            let sum = rows.reduce(0) { $0 + $1[column] }
            let card = try #require(Self.card(label, in: html))
            #expect(abs(sum - card) < 0.01, "\(label): rows \(sum), card \(card)")
        }
    }

    @Test func aUnitHoldingNothingItselfHasNoHeldDirectlyRow() async throws {
        // Given the county, which holds no record itself / When its page is shown
        let html = try await page("/?lang=en")
        // Then its sub-unit rows are the townships alone, and they add up to the hours card
        #expect(!html.contains("class=\"direct\""))
        let rows = Self.numbers(in: html, section: "subunits")
        #expect(rows.count == 2)
        #expect(abs(rows.reduce(0) { $0 + $1[2] } - (Self.card("Time bank hours", in: html) ?? -1)) < 0.01)
    }

    @Test func chartsScaleAndTheLineChartLabelsRoundValues() async throws {
        let html = try await page("/?lang=en")
        // Then both charts take their card's width and keep their view box's shape
        #expect(html.components(separatedBy: "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 480 240\"").count == 3)
        // And the hours chart labels its y-axis at 3 to 6 round values from 0
        let levels = html.components(separatedBy: "<text class=\"level\"").dropFirst().map { $0.split(separator: ">")[1].prefix { $0 != "<" } }
        #expect((3...7).contains(levels.count))
        #expect(levels.first == "0")
    }

    @Test(arguments: [
        (83.0, 100.0, [0.0, 25, 50, 75, 100]), (9, 10, [0, 2.5, 5, 7.5, 10]), (0, 1, [0, 0.25, 0.5, 0.75, 1]),
        (1_234, 1_500, [0, 500, 1_000, 1_500]), (40, 40, [0, 10, 20, 30, 40]),
    ])
    func yAxisLevelsAreRound(_ maximum: Double, _ top: Double, _ values: [Double]) {
        let levels = SVGChart.levels(upTo: maximum)
        #expect(levels.top == top && levels.values == values)
    }
}
