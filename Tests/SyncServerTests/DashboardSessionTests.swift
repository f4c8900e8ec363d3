import CountyWork
import Foundation
import GRDB
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Synchronization
import Testing
import TributaryTestSupport

/// Dashboard sessions kept in the hub's file (hashed), surviving a restart; a browser without a
/// live session sent to the sign-in form; sign-ins rate-limited, bounded per token and refused
/// when another site posts them (SPEC §15).
@Suite struct DashboardSessionTests {
    /// A hub file on a clock the test moves, with the fixture's county and an admin token.
    struct Hub {
        let directory = TemporaryDirectory("sessions")
        let clock = MovableClock()
        let kind: HubStoreKind
        /// The PostgreSQL database (`nil` on SQLite).
        let postgres: PostgresLocation?
        let adminToken: String
        let stationToken: String

        init(_ kind: HubStoreKind) async throws {
            self.kind = kind
            postgres = kind == .postgres ? try PostgresLocation(url: try await PostgresTestServer.require().newDatabaseOffPool("sessions")) : nil
            let store = try await Self.open(directory, postgres, clock)
            _ = try await store.importOrgUnits([
                HubOrgUnit(id: "yc", name: "永春县", kind: "county"),
                HubOrgUnit(id: "yc-t01", name: "桃城镇", kind: "township", parentId: "yc"),
            ])
            adminToken = try await store.addAdminToken(name: "admin").token
            stationToken = try await store.addStation(name: "t1", org: "yc-t01").token
        }

        var wallClock: WallClock { Self.wallClock(clock) }

        static func wallClock(_ clock: MovableClock) -> WallClock {
            WallClock { clock.millis.withLock { $0 } }
        }

        /// Opens the hub's store anew, as a restarted hub (or another hub process) does.
        func open() async throws -> any HubStore { try await Self.open(directory, postgres, clock) }

        static func open(_ directory: TemporaryDirectory, _ postgres: PostgresLocation?, _ clock: MovableClock) async throws -> any HubStore {
            if let postgres {
                return try await PostgresHubStore.open(postgres, schema: try CountyWorkSchema.load(), wallClock: wallClock(clock))
            }
            return try SQLiteHubStore.open(path: directory.path("hub.db"), schema: try CountyWorkSchema.load(), wallClock: wallClock(clock))
        }

        /// An application over a freshly opened store.
        func application(rateLimit: Double = 50, rateBurst: Int = 1_000, failedAuthLimit: Double = 1) async throws -> some ApplicationProtocol {
            let configuration = HubConfiguration(
                port: 0, wallClock: wallClock, rateLimit: rateLimit, rateBurst: rateBurst, failedAuthLimit: failedAuthLimit, failedAuthBurst: 60)
            return buildApplication(store: try await open(), configuration: configuration)
        }

        /// The stored sessions' `id_hash` and `token_hash`, read from the database itself.
        func storedSessions() async throws -> [[String]] {
            if let postgres {
                let store = try await PostgresHubStore.open(postgres, schema: try CountyWorkSchema.load())
                defer { Task { await store.close() } }
                return try await store.rawRows("SELECT id_hash, token_hash FROM dashboard_sessions")
            }
            let queue = try DatabaseQueue(path: directory.path("hub.db"))
            return try await queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id_hash, token_hash FROM dashboard_sessions").map { [$0[0], $0[1]] }
            }
        }
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// A wall clock the test moves forward.
    final class MovableClock: Sendable {
        let millis = Mutex<UInt64>(HubFixture.wallMillis)
    }

    /// Signs in and returns the session cookie `name=value`.
    static func signIn(_ client: some TestClientProtocol, token: String, headers extra: HTTPFields = [:]) async throws -> String {
        var headers = form
        headers.append(contentsOf: extra)
        let response = try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: "token=\(token)"))
        #expect(response.status == .seeOther, "sign-in answered \(response.status)")
        let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("tributary_session=") })
        return String(cookie.prefix { $0 != ";" })
    }

    static func status(_ client: some TestClientProtocol, _ uri: String, cookie: String?) async throws -> (HTTPResponse.Status, String?) {
        var headers = HTTPFields()
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        return (response.status, response.headers[.location])
    }

    @Test("a session survives a hub restart, and the hub keeps only the SHA-256 of its id", arguments: HubStoreKind.all)
    func sessionsSurviveARestart(_ kind: HubStoreKind) async throws {
        // Given a signed-in browser
        let hub = try await Hub(kind)
        let cookie = try await hub.application().test(.router) { client in
            try await Self.signIn(client, token: hub.adminToken)
        }
        let id = String(cookie.dropFirst("tributary_session=".count))

        // When the hub restarts (a new application over the reopened file)
        try await hub.application().test(.router) { client in
            // Then the same cookie still opens the dashboard and a CSV link
            do {
                let (status, _) = try await Self.status(client, "/", cookie: cookie)
                #expect(status == .ok)
            }
            do {
                let (status, _) = try await Self.status(client, "/v1/reports/members?format=csv", cookie: cookie)
                #expect(status == .ok)
            }
        }
        // And the file holds the id's hash, never the id
        let rows = try await hub.storedSessions()
        #expect(rows.count == 1)
        #expect(rows.first?.first == ReplicaStore.sha256Hex(id.utf8))
        #expect(!rows.description.contains(id) && !rows.description.contains(hub.adminToken))
    }

    @Test("a browser with an expired or unknown session is sent to the sign-in form, on pages and on CSV links", arguments: HubStoreKind.all)
    func expiredSessionsGoToTheSignInForm(_ kind: HubStoreKind) async throws {
        // Given a session 13 hours old (they last 12)
        let hub = try await Hub(kind)
        try await hub.application().test(.router) { client in
            let cookie = try await Self.signIn(client, token: hub.adminToken)
            hub.clock.millis.withLock { $0 += 13 * 3_600_000 }

            // When the browser follows a CSV link, opens a unit page or the overview
            let csv = try await Self.status(client, "/v1/reports/members?org=yc&format=csv", cookie: cookie)
            let page = try await Self.status(client, "/org/yc-t01", cookie: cookie)
            let overview = try await Self.status(client, "/", cookie: cookie)
            let unknown = try await Self.status(client, "/v1/reports/members?format=csv", cookie: "tributary_session=" + String(repeating: "a", count: 64))

            // Then each is a 303 to /login, with the page to come back to
            #expect(csv.0 == .seeOther && csv.1 == "/login?next=%2Fv1%2Freports%2Fmembers%3Forg%3Dyc%26format%3Dcsv", "\(csv)")
            #expect(page.0 == .seeOther && page.1 == "/login?next=%2Forg%2Fyc-t01", "\(page)")
            #expect(overview.0 == .seeOther && overview.1 == "/login")
            #expect(unknown.0 == .seeOther)

            // And the form brings the browser back there after signing in
            let form = try await client.execute(uri: "/login?next=%2Forg%2Fyc-t01", method: .get)
            #expect(String(buffer: form.body).contains(#"name="next" value="/org/yc-t01""#))
            let back = try await client.execute(
                uri: "/login", method: .post, headers: Self.form, body: ByteBuffer(string: "token=\(hub.adminToken)&next=%2Forg%2Fyc-t01"))
            #expect(back.status == .seeOther && back.headers[.location] == "/org/yc-t01")
            // But never to another site
            let away = try await client.execute(
                uri: "/login", method: .post, headers: Self.form, body: ByteBuffer(string: "token=\(hub.adminToken)&next=%2F%2Fevil.example%2F"))
            #expect(away.headers[.location] == "/")
        }
    }

    @Test("a sign-in posted by another site is refused; one from the hub's own page works", arguments: HubStoreKind.all)
    func signInRefusesCrossSitePosts(_ kind: HubStoreKind) async throws {
        let hub = try await Hub(kind)
        try await hub.application().test(.router) { client in
            // When a foreign page posts the sign-in form (Origin, else Referer, of another host)
            for foreign: HTTPFields in [
                [.origin: "https://evil.example", HTTPField.Name("Host")!: "hub.county.gov.cn"],
                [.referer: "https://evil.example/page", HTTPField.Name("Host")!: "hub.county.gov.cn"],
                [.origin: "null", HTTPField.Name("Host")!: "hub.county.gov.cn"],
            ] {
                var headers = Self.form
                headers.append(contentsOf: foreign)
                let response = try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: "token=\(hub.adminToken)"))
                // Then no session is opened
                #expect(response.status == .forbidden, "\(foreign)")
                #expect(!response.headers[values: .setCookie].contains { $0.hasPrefix("tributary_session=") })
            }
            // When the hub's own page posts it (same host, whatever the port nginx left out)
            let cookie = try await Self.signIn(client, token: hub.adminToken, headers: [.origin: "https://hub.county.gov.cn:8443", HTTPField.Name("Host")!: "hub.county.gov.cn"])
            // Then the session works
            do {
                let (status, _) = try await Self.status(client, "/", cookie: cookie)
                #expect(status == .ok)
            }
        }
    }

    @Test("sign-ins count against the token's rate limit, and failed ones against the address's", arguments: HubStoreKind.all)
    func signInsAreRateLimited(_ kind: HubStoreKind) async throws {
        // Given a hub allowing each token 5 requests at once, then one every 1,000 s (so that
        // however slowly the machine runs, no request is earned back during the test)
        let hub = try await Hub(kind)
        try await hub.application(rateLimit: 0.001, rateBurst: 5, failedAuthLimit: 0.001).test(.router) { client in
            // When one token signs in 20 times at once
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<20 {
                let response = try await client.execute(uri: "/login", method: .post, headers: Self.form, body: ByteBuffer(string: "token=\(hub.stationToken)"))
                statuses.append(response.status)
            }
            // Then only the burst gets sessions; the rest are 429
            #expect(statuses.filter { $0 == .seeOther }.count == 5, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 15, "\(statuses)")

            // And failed sign-ins spend the address's failed-authentication limit (burst 60)
            var failed: [HTTPResponse.Status] = []
            for _ in 0..<70 {
                let response = try await client.execute(uri: "/login", method: .post, headers: Self.form, body: ByteBuffer(string: "token=nope"))
                failed.append(response.status)
            }
            #expect(failed.first == .unauthorized && failed.last == .tooManyRequests, "\(failed)")
        }
    }

    @Test("a token keeps at most 20 sessions: the oldest end", arguments: HubStoreKind.all)
    func sessionsPerTokenAreBounded(_ kind: HubStoreKind) async throws {
        let hub = try await Hub(kind)
        try await hub.application().test(.router) { client in
            // When one token signs in 25 times
            var cookies: [String] = []
            for _ in 0..<25 { cookies.append(try await Self.signIn(client, token: hub.stationToken)) }

            // Then the first five sessions have ended and the last twenty work
            for cookie in cookies.prefix(5) {
                let (status, _) = try await Self.status(client, "/", cookie: cookie)
                #expect(status == .seeOther)
            }
            for cookie in cookies.suffix(20) {
                let (status, _) = try await Self.status(client, "/", cookie: cookie)
                #expect(status == .ok)
            }
        }
        #expect(try await hub.storedSessions().count == 20)
    }

    @Test("revoking the token ends its sessions at once, after a restart too", arguments: HubStoreKind.all)
    func revocationEndsStoredSessions(_ kind: HubStoreKind) async throws {
        let hub = try await Hub(kind)
        let cookie = try await hub.application().test(.router) { client in
            try await Self.signIn(client, token: hub.stationToken)
        }
        let store = try await hub.open()
        let station = try #require(try await store.stations().first)
        _ = try await store.revokeStation(id: station.id)
        try await hub.application().test(.router) { client in
            do {
                let (status, _) = try await Self.status(client, "/", cookie: cookie)
                #expect(status == .seeOther)
            }
        }
    }
}
