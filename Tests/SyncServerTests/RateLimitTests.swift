import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import SyncClient
import SyncModel
@testable import SyncServer
import Testing

/// Per-token and failed-authentication rate limits on the real server (SPEC §15).
@Suite struct RateLimitTests {
    /// A configuration whose buckets barely refill during a test.
    static func limited(_ hub: HubFixture, burst: Int = 3, failedAuthBurst: Int = 60) -> HubConfiguration {
        var configuration = hub.configuration
        configuration.rateLimit = 0.001
        configuration.rateBurst = burst
        configuration.failedAuthLimit = 0.001
        configuration.failedAuthBurst = failedAuthBurst
        return configuration
    }

    @Test func aRunawayTokenGets429WithRetryAfterWhileOthersCarryOn() async throws {
        // Given a hub allowing a burst of 3 requests per token
        let hub = try await HubFixture()
        try await hub.application(configuration: Self.limited(hub)).test(.live) { client in
            // When t1 sends 3 requests / Then they pass
            for _ in 0..<3 { #expect(try await client.call(.get, "/v1/whoami", headers: hub.headers("t1")).status == .ok) }
            // When it sends a 4th / Then 429 rate_limited with Retry-After in seconds
            let (status, body, headers) = try await client.call(.get, "/v1/pull", headers: hub.headers("t1"))
            #expect(status == .tooManyRequests)
            expectConforms(body, "ErrorBody")
            #expect(try JSONDecoder().decode(ErrorBody.self, from: body).error.code == .rateLimited)
            let retryAfter = try #require(headers[.retryAfter].flatMap { Int($0) })
            #expect(retryAfter >= 1)
            // And the other stations, and the health check, are not held back
            #expect(try await client.call(.get, "/v1/whoami", headers: hub.headers("t2")).status == .ok)
            #expect(try await client.call(.get, "/healthz", headers: [:]).status == .ok)
            // And the refusals are counted
            let metrics = String(decoding: try await client.call(.get, "/metrics", headers: [:]).body, as: UTF8.self)
            #expect(metrics.contains(#"tributary_rate_limited_total{limit="token"} 1"#))
        }
    }

    @Test func failedAuthenticationsFromOneAddressAreLimited() async throws {
        // Given a hub allowing 2 failed authentications per address
        let hub = try await HubFixture()
        try await hub.application(configuration: Self.limited(hub, burst: 100, failedAuthBurst: 2)).test(.live) { client in
            var guess = hub.headers(nil)
            guess[.authorization] = "Bearer " + String(repeating: "0f", count: 32)
            // When an address guesses twice / Then 401 twice
            for _ in 0..<2 { try await client.expectError(.get, "/v1/whoami", headers: guess, status: .unauthorized, code: .unauthorized) }
            // When it tries again, with a guess or at the dashboard sign-in / Then 429 before the token is looked at
            try await client.expectError(.get, "/v1/whoami", headers: guess, status: .tooManyRequests, code: .rateLimited)
            let (login, _, loginHeaders) = try await client.call(
                .post, "/login", headers: [.contentType: "application/x-www-form-urlencoded"], body: Data("token=abc".utf8))
            #expect(login == .tooManyRequests && loginHeaders[.retryAfter] != nil)
            // And requests without credentials still pass
            #expect(try await client.call(.get, "/healthz", headers: [:]).status == .ok)
            let metrics = String(decoding: try await client.call(.get, "/metrics", headers: [:]).body, as: UTF8.self)
            #expect(metrics.contains(#"tributary_rate_limited_total{limit="failed_auth"} 2"#))
        }
    }

    @Test func theStationSeesRateLimitedWithTheWait() async throws {
        // Given a hub allowing a burst of 1 request per token, and t1's HTTP transport that does not retry
        let hub = try await HubFixture()
        try await hub.application(configuration: Self.limited(hub, burst: 1)).test(.live) { client in
            let transport = HTTPTransport(
                configuration: .init(
                    hub: URL(string: "http://127.0.0.1:\(client.port!)")!, token: hub.tokens["t1"]!, schemaTag: "county-work/1", retry: .none))
            _ = try await transport.whoami()
            // When it asks again / Then rate_limited, carrying the hub's Retry-After and saying how long to wait
            do {
                _ = try await transport.whoami()
                Issue.record("the second request passed")
            } catch let error as SyncError {
                #expect(error.code == .rateLimited)
                #expect((error.retryAfter ?? 0) >= 1)
                #expect(error.message.contains("wait") && error.message.contains(" s"))
                #expect(error.isRetryable)
            }
        }
    }

    @Test func bucketsSpendRefillAndStayBounded() {
        // Given a limiter of 2 per second, burst 2, keeping at most 100 keys
        let limiter = RateLimiter(perSecond: 2, burst: 2, capacity: 100)
        let second: UInt64 = 1_000_000_000
        // When a key spends 3 at once / Then the third waits half a second
        #expect(limiter.take("a", now: 0) == nil && limiter.take("a", now: 0) == nil)
        #expect(limiter.take("a", now: 0) == 0.5)
        // And after a second it may spend again
        #expect(limiter.take("a", now: second) == nil)
        // When 1,000 keys each spend a request at the same instant / Then no more than 100 are kept
        for index in 0..<1_000 { _ = limiter.take("k\(index)", now: 2 * second) }
        #expect(limiter.count <= 100)
        // And a limit of 0 lets everything through
        let off = RateLimiter(perSecond: 0, burst: 1)
        #expect((0..<10).allSatisfy { _ in off.take("a", now: 0) == nil })
    }
}
