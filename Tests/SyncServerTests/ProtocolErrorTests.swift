import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Testing

/// Every refusal the hub answers before (or instead of) applying anything.
@Suite struct ProtocolErrorTests {
    @Test func versionSchemaAndTokenAreCheckedInThatOrder() async throws {
        // Given a hub and one station
        let hub = try await HubFixture()
        try await hub.application().test(.router) { client in
            // When the protocol is wrong (and the schema and token too) / Then protocol_mismatch wins
            var headers = hub.headers(nil, protocol: "2", schema: "other/9")
            let mismatch = try await client.expectError(.get, "/v1/pull", headers: headers, status: .upgradeRequired, code: .protocolMismatch)
            #expect(mismatch.error.hubProtocol == 1)
            // When the protocol is right but the schema is not / Then schema_mismatch
            headers = hub.headers(nil, schema: "county-work/2")
            try await client.expectError(.get, "/v1/pull", headers: headers, status: .conflict, code: .schemaMismatch)
            // When there is no token / Then unauthorized
            try await client.expectError(.get, "/v1/pull", headers: hub.headers(nil), status: .unauthorized, code: .unauthorized)
            // When the token is unknown / Then unauthorized
            headers = hub.headers(nil)
            headers[.authorization] = "Bearer " + String(repeating: "ab", count: 32)
            try await client.expectError(.get, "/v1/whoami", headers: headers, status: .unauthorized, code: .unauthorized)
        }
    }

    @Test func revokedTokenIsRefused() async throws {
        // Given a station whose token is revoked
        let hub = try await HubFixture()
        _ = try await hub.store.revokeStation(id: hub.stationIDs["t1"]!)
        try await hub.application().test(.router) { client in
            // Then every /v1 request is refused with token_revoked, and others still work
            try await client.expectError(.get, "/v1/whoami", headers: hub.headers("t1"), status: .unauthorized, code: .tokenRevoked)
            let (status, _, _) = try await client.call(.get, "/v1/whoami", headers: hub.headers("t2"))
            #expect(status == .ok)
        }
    }

    @Test func malformedOversizedAndUnknownRequestsAreJSONErrors() async throws {
        // Given a hub accepting at most 4 KiB bodies
        let hub = try await HubFixture(maxBodyBytes: 4_096)
        try await hub.application().test(.router) { client in
            // When the body is not JSON / Then bad_request
            try await client.expectError(.post, "/v1/push", headers: hub.headers("t1"), body: Data("{not json".utf8), status: .badRequest, code: .badRequest)
            // When the JSON has the wrong shape / Then bad_request
            try await client.expectError(.post, "/v1/push", headers: hub.headers("t1"), body: Data(#"{"changes":[{"seq":1}]}"#.utf8), status: .badRequest, code: .badRequest)
            // When the body is larger than the limit / Then payload_too_large
            let big = Data(#"{"changes":[],"pad":""#.utf8) + Data(repeating: UInt8(ascii: "x"), count: 8_000) + Data(#""}"#.utf8)
            try await client.expectError(.post, "/v1/push", headers: hub.headers("t1"), body: big, status: .contentTooLarge, code: .payloadTooLarge)
            // When a small gzip body inflates beyond the limit / Then payload_too_large too
            var buffer = ByteBuffer(bytes: big)
            let zipped = try buffer.compress(with: .gzip())
            var headers = hub.headers("t1")
            headers[.contentEncoding] = "gzip"
            try await client.expectError(.post, "/v1/push", headers: headers, body: Data(zipped.readableBytesView), status: .contentTooLarge, code: .payloadTooLarge)
            // When the path is unknown / Then not_found; when the method is wrong / Then method_not_allowed
            try await client.expectError(.get, "/v2/nothing", headers: hub.headers("t1"), status: .notFound, code: .notFound)
            try await client.expectError(.get, "/v1/push", headers: hub.headers("t1"), status: .methodNotAllowed, code: .methodNotAllowed)
            // When a cursor is malformed, negative or beyond the log / Then bad_cursor
            try await client.expectError(.get, "/v1/pull?cursor=abc", headers: hub.headers("t1"), status: .badRequest, code: .badCursor)
            try await client.expectError(.get, "/v1/pull?cursor=-1", headers: hub.headers("t1"), status: .badRequest, code: .badCursor)
            try await client.expectError(.get, "/v1/pull?cursor=999999", headers: hub.headers("t1"), status: .badRequest, code: .badCursor)
            try await client.expectError(.get, "/v1/snapshot?page=garbage!", headers: hub.headers("t1"), status: .badRequest, code: .badCursor)
            let forged = SnapshotToken(cursor: 1_000_000, after: RecordKey(type: "member", id: "m")).text
            try await client.expectError(.get, "/v1/snapshot?page=\(forged)", headers: hub.headers("t1"), status: .badRequest, code: .badCursor)
        }
    }

    @Test func gzipBodiesAreAcceptedAndServed() async throws {
        // Given a station with a change to push
        let hub = try await HubFixture()
        let station = try hub.replica("t1")
        try station.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        try await hub.application().test(.router) { client in
            // When the push is gzipped
            var plain = ByteBuffer(bytes: try JSONEncoder().encode(PushRequest(changes: try station.outbox())))
            let zipped = try plain.compress(with: .gzip())
            var headers = hub.headers("t1")
            headers[.contentEncoding] = "gzip"
            let (status, body, _) = try await client.call(.post, "/v1/push", headers: headers, body: Data(zipped.readableBytesView))
            // Then it is applied
            #expect(status == .ok)
            #expect(try JSONDecoder().decode(PushResponse.self, from: body).applied == 3)
            // When a pull accepts gzip / Then the (large enough) answer is gzipped and decodes
            headers = hub.headers("county")
            headers[.acceptEncoding] = "gzip, deflate"
            let (pullStatus, pulled, pullHeaders) = try await client.call(.get, "/v1/pull", headers: headers)
            #expect(pullStatus == .ok)
            #expect(pullHeaders[.contentEncoding] == "gzip")
            var zippedAnswer = ByteBuffer(bytes: pulled)
            let answer = try zippedAnswer.decompress(with: .gzip())
            expectConforms(Data(answer.readableBytesView), "PullResponse")
        }
    }

    @Test func healthMetricsAndWhoami() async throws {
        // Given a hub
        let hub = try await HubFixture()
        try await hub.application().test(.router) { client in
            // Then /healthz needs no headers
            let (status, body, _) = try await client.call(.get, "/healthz", headers: [:])
            #expect(status == .ok)
            expectConforms(body, "HealthResponse")
            // And whoami names the station and its org
            let (_, who, _) = try await client.call(.get, "/v1/whoami", headers: hub.headers("c01"))
            expectConforms(who, "WhoAmIResponse")
            let whoami = try JSONDecoder().decode(WhoAmIResponse.self, from: who)
            #expect(whoami.org == "yc-t01-c01" && whoami.station == hub.stationIDs["c01"] && whoami.schema == "county-work/1")
            // And /metrics is Prometheus text with the push counters
            _ = try await client.push(hub, "t1", [])
            let (_, metrics, _) = try await client.call(.get, "/metrics", headers: [:])
            let text = String(decoding: metrics, as: UTF8.self)
            #expect(text.contains("tributary_push_total 1"))
            #expect(text.contains(#"tributary_push_changes_total{result="applied"}"#))
            #expect(text.contains("tributary_station_last_contact_seconds"))
        }
    }
}
