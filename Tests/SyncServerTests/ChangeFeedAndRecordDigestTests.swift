import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// `GET /v1/log` (the auditor's change feed, admin tokens only) and
/// `GET /v1/digest?detail=records` (which records of a station's view differ).
@Suite("Change feed and record digests over HTTP")
struct ChangeFeedAndRecordDigestTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// `/v1` headers with a bearer token.
    static func headers(_ fixture: HubFixture, token: String?) -> HTTPFields {
        var headers = fixture.headers(nil)
        if let token { headers[.authorization] = "Bearer \(token)" }
        return headers
    }

    @Test("an admin pages through every change with its origin, clock, scope and bases; personal values are withheld")
    func changeFeed() async throws {
        // Given a hub holding the org tree and a push from township station t1: a member with
        // a phone, then an overwrite of its name (which lists the first name as its base)
        let fixture = try await HubFixture()
        let admin = try await fixture.store.addAdminToken(name: "审计").token
        let replica = try fixture.replica("t1")
        try replica.writeLocal(memberEdits("m-1", unit: "yc-t01-c01", name: "林秀英", phone: "13800000000"))
        try replica.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-1", field: "name"), scope: "yc-t01-c01", value: "林秀瑛")])
        let pushed = try replica.changes(after: 0, limit: 100).map(\.change)
        try await fixture.application().test(.router) { client in
            _ = try await client.push(fixture, "t1", pushed)

            // When an admin reads the feed two entries at a time, to the end
            var entries: [LogEntry] = []
            var cursor: Int64 = 0
            var pages = 0
            while true {
                let (status, body, _) = try await client.call(.get, "/v1/log?after=\(cursor)&limit=2", headers: Self.headers(fixture, token: admin))
                #expect(status == .ok, "\(String(decoding: body, as: UTF8.self))")
                expectConforms(body, "LogPage")
                let page = try JSONDecoder().decode(LogPage.self, from: body)
                #expect(page.entries.count <= 2)
                entries += page.entries
                pages += 1
                if !page.more { break }
                #expect(page.cursor > cursor)
                cursor = page.cursor
            }

            // Then every change is there once, in log order: the hub's org tree first, then t1's
            // changes exactly as pushed (origin, clock, scope, bases), the phone withheld
            #expect(pages > 1)
            #expect(entries.map(\.position) == entries.map(\.position).sorted())
            #expect(Set(entries.map(\.position)).count == entries.count)
            let own = entries.filter { $0.change.site == replica.siteID }
            #expect(own.map(\.change.seq) == pushed.map(\.seq))
            #expect(entries.first?.change.type == "orgUnit")
            for (entry, change) in zip(own, pushed) {
                #expect(entry.change.hlc == change.hlc && entry.change.scope == change.scope && entry.change.bases == change.bases)
                if change.field == "phone" {
                    #expect(entry.withheld && entry.change.value == .null)
                } else {
                    #expect(!entry.withheld && entry.change.value == change.value)
                }
            }
            #expect(own.last?.change.bases.count == 1)

            // And a station token is forbidden, a missing one unauthorized, bad parameters refused
            try await client.expectError(.get, "/v1/log", headers: fixture.headers("t1"), status: .forbidden, code: .forbidden)
            try await client.expectError(.get, "/v1/log", headers: Self.headers(fixture, token: nil), status: .unauthorized, code: .unauthorized)
            try await client.expectError(
                .get, "/v1/log?limit=0", headers: Self.headers(fixture, token: admin), status: .badRequest, code: .badRequest)
            try await client.expectError(
                .get, "/v1/log?after=-1", headers: Self.headers(fixture, token: admin), status: .badRequest, code: .badRequest)
            try await client.expectError(
                .get, "/v1/log?after=999999", headers: Self.headers(fixture, token: admin), status: .badRequest, code: .badCursor)
            try await client.expectError(
                .post, "/v1/log", headers: Self.headers(fixture, token: admin), status: .methodNotAllowed, code: .methodNotAllowed)
        }
    }

    @Test("record digests cover exactly the station's view, as its replica holds it, and name what differs")
    func recordDigests() async throws {
        // Given members in two communities, one with a phone, and a county-level member with a
        // phone written by the hub itself (a community station sees it without the phone)
        let fixture = try await HubFixture()
        let writer = try fixture.replica("t1")
        try writer.writeLocal(memberEdits("m-1", unit: "yc-t01-c01", phone: "13800000001"))
        try writer.writeLocal(memberEdits("m-2", unit: "yc-t01-c02"))
        try fixture.store.replica.writeLocal(memberEdits("m-yc", unit: "yc", phone: "13800000009"))
        let reader = try fixture.replica("c01")
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            _ = try await SyncEngine(store: writer, transport: SyncEngineTests.transport(fixture, "t1", port: port), logger: Self.logger).sync()
            let transport = SyncEngineTests.transport(fixture, "c01", port: port)
            _ = try await SyncEngine(store: reader, transport: transport, logger: Self.logger).sync()

            // When the community station asks for its view's digest with record detail
            let (status, body, _) = try await client.call(.get, "/v1/digest?detail=records", headers: fixture.headers("c01"))
            #expect(status == .ok)
            expectConforms(body, "DigestResponse")
            let detailed = try await transport.scopeDigestWithRecords()

            // Then it lists every record of its view (its community's member, the county's one,
            // the org units it sees) with the digest its own replica computes for each
            let hubDigests = try #require(detailed.recordDigests)
            #expect(hubDigests == (try reader.recordDigests()))
            #expect(hubDigests.count == detailed.records)
            #expect(hubDigests.contains { $0.id == "m-1" } && hubDigests.contains { $0.id == "m-yc" })
            #expect(!hubDigests.contains { $0.id == "m-2" })
            #expect(detailed.digest == (try reader.digest()))
            // And the plain digest carries no detail
            #expect(try await transport.scopeDigest().recordDigests == nil)

            // And when the station edits a record and creates one without syncing, exactly
            // those two differ
            try reader.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-1", field: "name"), scope: "yc-t01-c01", value: "改名")])
            try reader.writeLocal(memberEdits("m-3", unit: "yc-t01-c01"))
            let ours = Dictionary(uniqueKeysWithValues: try reader.recordDigests().map { ($0.key, $0.digest) })
            let theirs = Dictionary(uniqueKeysWithValues: hubDigests.map { ($0.key, $0.digest) })
            #expect(Set(ours.keys).subtracting(theirs.keys) == [RecordKey(type: "member", id: "m-3")])
            #expect(Set(theirs.keys).subtracting(ours.keys).isEmpty)
            #expect(theirs.filter { ours[$0.key] != $0.value }.keys.map(\.id) == ["m-1"])

            // And an unknown detail is refused
            try await client.expectError(.get, "/v1/digest?detail=fields", headers: fixture.headers("c01"), status: .badRequest, code: .badRequest)
        }
    }
}
