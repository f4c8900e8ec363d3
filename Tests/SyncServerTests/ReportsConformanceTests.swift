import Foundation
import SyncModel
import SyncServer
import Testing
import TributaryTestSupport

/// The reports run on portable SQL (with the few pieces each database spells its own way):
/// seeded with the same data, the SQLite and the PostgreSQL hub give the same tables.
@Suite(.enabled(if: PostgresTestServer.shouldRun, "needs PostgreSQL: \(PostgresTestServer.unavailableReason ?? "")"))
struct ReportsConformanceTests {
    @Test func everyReportIsTheSameOnBothStores() async throws {
        // Given an SQLite hub and a PostgreSQL hub seeded with the same county data
        let seed = ReportsSeed()
        let sqlite = try await HubFixture(.sqlite)
        let postgres = try await HubFixture(.postgres)
        try await seed.write(to: sqlite)
        try await seed.write(to: postgres)
        let queries = [
            ReportQuery(language: .en), ReportQuery(org: "yc-t01", language: .zh), ReportQuery(from: "2025-03-01", to: "2025-05-31", language: .en),
            ReportQuery(language: .en, limit: 3),
        ]
        for report in HubReport.allCases {
            for query in queries {
                // When each report runs on both
                let expected = try await sqlite.store.report(report, query: query)
                let got = try await postgres.store.report(report, query: query)
                // Then the tables are equal, row for row (station ids are random: the sync
                // report's rows are compared without them)
                if report == .sync {
                    #expect(Self.withoutStationIDs(got) == Self.withoutStationIDs(expected), "\(report) \(query)")
                    #expect(got.rows.count == 5 || query.org != nil)
                } else {
                    #expect(got == expected, "\(report) \(query)")
                }
            }
        }
        // And every generic report of every type (built from records(ofType:)) is the same
        for type in sqlite.schema.types.keys.sorted() {
            for report in TypeReport.allCases {
                for query in [ReportQuery(language: .en, type: type), ReportQuery(org: "yc-t01", language: .zh, type: type)] {
                    let expected = try await sqlite.store.typeReport(report, query: query)
                    let got = try await postgres.store.typeReport(report, query: query)
                    #expect(got == expected, "\(report) \(query)")
                }
            }
            // The records themselves: same ids, places and values (versions name the writing
            // site, which differs between the two hubs)
            let expected = try await sqlite.store.records(ofType: type).map { [$0.id, "\($0.place)", "\($0.state.values.sorted { $0.key < $1.key })"] }
            let got = try await postgres.store.records(ofType: type).map { [$0.id, "\($0.place)", "\($0.state.values.sorted { $0.key < $1.key })"] }
            #expect(got == expected, "\(type)")
        }
        // And the seeded hubs hold the same records (their digests differ: each hub wrote as
        // its own site)
        #expect(try await postgres.store.digest(for: nil).records == sqlite.store.digest(for: nil).records)
    }

    static func withoutStationIDs(_ table: ReportTable) -> [[ReportValue]] {
        table.rows.map { Array($0.dropFirst()) }.sorted { "\($0)" < "\($1)" }
    }
}
