import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// Stations that misbehave, on purpose or by a bug, against the real server on loopback: each
/// is refused with its code, nothing of it is applied (the hub's digest stays the same), the
/// refusal is logged without personal fields, and honest stations carry on.
@Suite struct HostileStationTests {
    static let phone = "13912345678"
    static let idNumber = "350525196001011234"

    /// A new member with personal fields, as `station`'s replica writes it.
    static func memberWithPersonalFields(_ hub: HubFixture, station: String, id: String, unit: String) throws -> [Change] {
        let replica = try hub.replica(station)
        var edits = memberEdits(id, unit: unit, phone: phone)
        edits.append(LocalEdit(key: FieldKey(type: "member", id: id, field: "idNumber"), scope: unit, value: .string(idNumber)))
        return try replica.writeLocal(edits)
    }

    static func digest(_ hub: HubFixture) async throws -> String {
        try await hub.store.digest(for: nil).digest
    }

    /// A hub logger whose entries stay in memory, from `level` up.
    static func memoryLogger(_ level: Logger.Level) -> (Logger, InMemoryLogHandler) {
        let log = InMemoryLogHandler()
        var logger = Logger(label: "hub") { _ in log }
        logger.logLevel = level
        return (logger, log)
    }

    static func whoami(_ client: some TestClientProtocol, _ hub: HubFixture, _ station: String) async throws -> WhoAmIResponse {
        let (status, body, _) = try await client.call(.get, "/v1/whoami", headers: hub.headers(station))
        #expect(status == .ok)
        return try JSONDecoder().decode(WhoAmIResponse.self, from: body)
    }

    @Test func writingOutsideItsSubtreeIsRefusedLoggedWithoutValues() async throws {
        // Given a hub logging to memory, and station t2 (yc-t02) holding a member of yc-t01-c01
        let hub = try await HubFixture()
        let (logger, log) = Self.memoryLogger(.trace)
        let changes = try Self.memberWithPersonalFields(hub, station: "t2", id: "m-intruder", unit: "yc-t01-c01")
        let before = try await Self.digest(hub)
        try await hub.application(logger: logger).test(.live) { client in
            // When t2 pushes it
            let response = try await client.push(hub, "t2", changes)
            // Then every change is refused out_of_scope, nothing is applied, the digest is unchanged
            #expect(response.applied == 0 && response.refused.count == changes.count)
            #expect(response.refused.allSatisfy { $0.code == .outOfScope })
            #expect(try await Self.digest(hub) == before)
            // And the acknowledgement never goes back: the token is bound to its (free) site,
            // and an empty push right after answers the same acked (SPEC §10)
            #expect(try await Self.whoami(client, hub, "t2").site == changes.first?.site)
            #expect(try await client.push(hub, "t2", []).acked == response.acked)
        }
        // And each refusal is logged at notice with site, seq, type, field and code
        let refusals = log.entries.filter { $0.message.description == "hub.change.refused" }
        #expect(refusals.count == changes.count)
        #expect(refusals.allSatisfy { $0.level == .notice && $0.metadata["sync.code"]?.description == "out_of_scope" })
        let fields = Set(refusals.compactMap { $0.metadata["sync.field"]?.description })
        #expect(fields.isSuperset(of: ["phone", "idNumber"]))
        #expect(refusals.allSatisfy { $0.metadata["hub.station"]?.description == hub.stationIDs["t2"] })
        // And no log line holds a personal value
        for entry in log.entries {
            let text = "\(entry.message) \(entry.metadata)"
            #expect(!text.contains(Self.phone) && !text.contains(Self.idNumber), "\(text)")
        }
    }

    /// Found by the fuzzer on PostgreSQL, whose text holds no NUL: a change with NUL in its type
    /// or id made the hub look the record up (500 `internal`), and a refusal quoting one could
    /// not be stored. The hub looks up only records it could hold, and a refusal's message
    /// quotes what the station sent with control characters escaped — the same on both stores.
    @Test(arguments: HubStoreKind.all)
    func nulInEveryTextOfAChangeIsRefusedChangeByChangeAndAnsweredAgainTheSame(kind: HubStoreKind) async throws {
        // Given t1's changes of two members, each carrying NUL in one of its texts
        let hub = try await HubFixture(kind)
        let replica = try hub.replica("t1")
        var changes = try replica.writeLocal(memberEdits("m-1", unit: "yc-t01") + memberEdits("m-2", unit: "yc-t01"))
        let expected: [SyncErrorCode] = [.unknownType, .malformedID, .outOfScope, .unknownField, .malformedChange, .invalidValue]
        for index in changes.indices {
            switch index % 6 {
            case 0: changes[index].type = "mem\u{0}ber"
            case 1: changes[index].id = "m-\u{0}1"
            case 2: changes[index].scope = "yc\u{0}"
            case 3: changes[index].field = "na\u{0}me"
            case 4: changes[index].element = "\u{0}"
            default: changes[index].value = .string("re\u{0}tired")
            }
        }
        let pushed = changes
        let before = try await Self.digest(hub)
        try await hub.application().test(.live) { client in
            // When t1 pushes them
            let first = try await client.push(hub, "t1", pushed)
            // Then each is refused with its own code, nothing is applied, and no message holds NUL
            #expect(first.applied == 0 && first.acked == pushed.last!.seq)
            #expect(first.refused.map(\.code) == pushed.indices.map { expected[$0 % 6] }, "\(first.refused)")
            #expect(first.refused.allSatisfy { !$0.message.unicodeScalars.contains("\u{0}") }, "\(first.refused)")
            #expect(try await Self.digest(hub) == before)
            // And when it sends them again (its answer lost), the stored refusals come back the same
            let again = try await client.push(hub, "t1", pushed)
            #expect(again.duplicates == pushed.count && again.refused == first.refused, "\(again.refused)")
        }
    }

    @Test func anotherStationsBatchReplayedWithAnotherTokenIsRefused() async throws {
        // Given t1 has pushed its member (binding its token to its site)
        let hub = try await HubFixture()
        let (logger, log) = Self.memoryLogger(.info)
        let t1 = try Self.memberWithPersonalFields(hub, station: "t1", id: "m-1", unit: "yc-t01-c02")
        try await hub.application(logger: logger).test(.live) { client in
            _ = try await client.push(hub, "t1", t1)
            let before = try await Self.digest(hub)
            // When county2 (whose scope covers yc-t01) replays t1's batch with its own token
            let replay = try JSONEncoder().encode(PushRequest(changes: t1))
            try await client.expectError(.post, "/v1/push", headers: hub.headers("county2"), body: replay, status: .badRequest, code: .wrongSite)
            // And claims t1's site for a new change
            var forged = t1[0]
            forged.seq = t1.last!.seq + 1
            forged.value = .string("改名")
            forged.field = "name"
            let claim = try JSONEncoder().encode(PushRequest(changes: [forged]))
            try await client.expectError(.post, "/v1/push", headers: hub.headers("county2"), body: claim, status: .badRequest, code: .wrongSite)
            // Then nothing is applied, county2 stays unbound, and t1 carries on
            #expect(try await Self.digest(hub) == before)
            #expect(try await Self.whoami(client, hub, "county2").site == nil)
            #expect(try await client.push(hub, "t1", t1).duplicates == t1.count)
        }
        let refused = log.entries.filter { $0.message.description == "hub.push.refused" }
        #expect(refused.count == 2 && refused.allSatisfy { $0.level == .notice && $0.metadata["sync.code"]?.description == "wrong_site" })
    }

    @Test(arguments: [UInt64(0), UInt64.max])
    func bogusSiteIDsAreRefusedAndNeverBound(site: UInt64) async throws {
        // Given a valid batch of t1 rewritten to site 0000… or ffff…
        let hub = try await HubFixture()
        var changes = try hub.replica("t1").writeLocal(memberEdits("m-bogus", unit: "yc-t01"))
        for index in changes.indices { changes[index].site = SiteID(rawValue: site) }
        let forged = changes
        let before = try await Self.digest(hub)
        try await hub.application().test(.live) { client in
            // When t1 pushes it / Then the whole push is refused wrong_site and t1 stays unbound
            let body = try JSONEncoder().encode(PushRequest(changes: forged))
            try await client.expectError(.post, "/v1/push", headers: hub.headers("t1"), body: body, status: .badRequest, code: .wrongSite)
            #expect(try await Self.digest(hub) == before)
            #expect(try await Self.whoami(client, hub, "t1").site == nil)
            // And t1 can still push from its real replica and is bound to that site
            let real = try hub.replica("t1")
            let own = try real.writeLocal(memberEdits("m-real", unit: "yc-t01"))
            #expect(try await client.push(hub, "t1", own).applied == own.count)
            #expect(try await Self.whoami(client, hub, "t1").site == real.siteID)
        }
    }

    @Test func replayedSeqsAreAppliedOnce() async throws {
        // Given t1 pushed its batch
        let hub = try await HubFixture()
        let changes = try hub.replica("t1").writeLocal(memberEdits("m-1", unit: "yc-t01", phone: Self.phone))
        try await hub.application().test(.live) { client in
            let first = try await client.push(hub, "t1", changes)
            #expect(first.applied == changes.count)
            let before = try await Self.digest(hub)
            let logged = try await hub.logCount()
            // When it replays the same seqs, whole and in part, with changed values
            var altered = changes
            for index in altered.indices where altered[index].field == "name" { altered[index].value = .string("篡改") }
            for batch in [changes, Array(changes.suffix(2)), altered] {
                let response = try await client.push(hub, "t1", batch)
                // Then nothing is applied twice and the old seqs stay as first applied
                #expect(response.applied == 0 && response.duplicates == batch.count && response.acked == changes.last!.seq)
            }
            #expect(try await Self.digest(hub) == before)
            #expect(try await hub.logCount() == logged)
        }
    }

    @Test func aFutureClockIsRefusedChangeByChangeAndLogged() async throws {
        // Given t1's replica whose clock runs an hour ahead of the hub's
        let hub = try await HubFixture()
        let (logger, log) = Self.memoryLogger(.info)
        let replica = try ReplicaStore.open(
            path: hub.directory.path("ahead.db"), schema: hub.schema, wallClock: .fixed(HubFixture.wallMillis + 3_600_000))
        let changes = try replica.writeLocal(memberEdits("m-future", unit: "yc-t01", phone: Self.phone))
        let before = try await Self.digest(hub)
        try await hub.application(logger: logger).test(.live) { client in
            // When it pushes / Then each change is refused clock_skew and nothing is applied
            let response = try await client.push(hub, "t1", changes)
            #expect(response.applied == 0 && response.refused.count == changes.count)
            #expect(response.refused.allSatisfy { $0.code == .clockSkew })
            #expect(try await Self.digest(hub) == before)
        }
        let refused = log.entries.filter { $0.message.description == "hub.change.refused" }
        #expect(refused.count == changes.count && refused.allSatisfy { $0.metadata["sync.code"]?.description == "clock_skew" })
        #expect(refused.first?.metadata["sync.site"]?.description == replica.siteID.description)
        for entry in log.entries {
            #expect(!"\(entry.message) \(entry.metadata)".contains(Self.phone))
        }
    }

    @Test func revokedTokensAndTheirDashboardSessionsStopAtOnce() async throws {
        // Given a running hub, a station in contact, and an admin signed in to the dashboard
        let hub = try await HubFixture()
        let (admin, adminToken) = try await hub.store.addAdminToken(name: "county office")
        try await hub.application().test(.live) { client in
            _ = try await Self.whoami(client, hub, "t1")
            let (signedIn, _, signInHeaders) = try await client.call(
                .post, "/login", headers: [.contentType: "application/x-www-form-urlencoded"], body: Data("token=\(adminToken)".utf8))
            #expect(signedIn == .seeOther)
            let cookie = String(try #require(signInHeaders[values: .setCookie].first { $0.hasPrefix("tributary_session=") }).prefix { $0 != ";" })
            #expect(try await client.call(.get, "/", headers: [.cookie: cookie]).status == .ok)
            #expect(try await client.call(.get, "/v1/reports/members", headers: [.cookie: cookie]).status == .ok)
            // When both tokens are revoked while the hub runs
            _ = try await hub.store.revokeStation(id: hub.stationIDs["t1"]!)
            _ = try await hub.store.revokeAdminToken(id: admin.id)
            // Then the station's next request is refused token_revoked
            try await client.expectError(.get, "/v1/whoami", headers: hub.headers("t1"), status: .unauthorized, code: .tokenRevoked)
            try await client.expectError(.get, "/v1/pull", headers: hub.headers("t1"), status: .unauthorized, code: .tokenRevoked)
            // And the dashboard session ends at once: the page and the CSV link go to sign-in
            let page = try await client.call(.get, "/", headers: [.cookie: cookie])
            #expect(page.status == .seeOther && page.headers[.location] == "/login")
            let csv = try await client.call(.get, "/v1/reports/members?format=csv", headers: [.cookie: cookie])
            #expect(csv.status == .seeOther && csv.headers[.location]?.hasPrefix("/login?next=") == true)
            // And the revoked admin token itself is refused
            try await client.expectError(
                .get, "/v1/reports/members", headers: [.authorization: "Bearer \(adminToken)"], status: .unauthorized, code: .tokenRevoked)
            // And others carry on
            _ = try await Self.whoami(client, hub, "t2")
        }
    }
}
