import Foundation
import Testing
import TributaryTestSupport

/// The station CLI for people (issue 20): ids people paste into other commands are shown whole
/// by `list` and `conflicts`, and `explain` names the stations that wrote, as the hub named
/// them in a sync (`GET /v1/sites`).
@Suite("CLI for people (processes)", .serialized, .ownThreads)
struct PeopleCLITests {
    /// Longer than the 24 columns `list` used to cut an id to.
    static let id = "member-2025-yc-t01-c01-0000000000000001"

    @Test("list and conflicts show long ids whole; explain names the other station's writes by its name")
    func wholeIdsAndNamedSites() throws {
        // Given a township station and a community station under it, both initialised
        let county = try CLIRoughEdgesTests.County(stations: [("Taocheng desk", "yc-t01"), ("Community one", "yc-t01-c01")])
        defer { county.hub.stop() }
        let township = county["Taocheng desk"], community = county["Community one"]
        // And a member with a long id written by the community and received by the township
        try community.ok("put", "member", Self.id, "name=林秀英", "orgUnitId=yc-t01-c01", "category=retired")
        try community.ok("sync")
        try township.ok("sync")
        // And both then change its name concurrently, and sync until each holds both writes
        try township.ok("put", "member", Self.id, "name=林秀英（县）")
        try community.ok("put", "member", Self.id, "name=林秀英（社区）")
        try township.ok("sync")
        try community.ok("sync")
        try township.ok("sync")

        // When the township lists members
        let list = try township.ok("list", "member")
        // Then the id is whole, not cut with …
        #expect(list.contains(Self.id), "\(list)")

        // When the station that holds the conflict lists conflicts
        let holder = try [township, community].first { try !$0.conflicts().isEmpty }
        let conflicts = try #require(holder, "no station holds a conflict").ok("conflicts")
        // Then the record's id and the versions (pasted into resolve) are whole
        #expect(conflicts.contains("member \(Self.id)"), "\(conflicts)")
        #expect(!conflicts.contains("…"), "\(conflicts)")

        // When the township explains the name
        let explained = try township.ok("explain", "member", Self.id, "name")
        // Then the community's writes are named by its station name, beside the site
        #expect(explained.contains("Community one ("), "\(explained)")
        #expect(explained.contains("this station #"), "\(explained)")
        // And --json carries the name with each write of another site
        let json = try township.run(["explain", "member", Self.id, "name", "--json"]).jsonObject()
        let fields = try #require(json["fields"] as? [[String: Any]])
        let writes = fields.flatMap { $0["writes"] as? [[String: Any]] ?? [] }
        #expect(writes.contains { $0["siteName"] as? String == "Community one" })
    }
}
