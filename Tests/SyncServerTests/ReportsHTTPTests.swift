import Foundation
import Hummingbird
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Testing

/// `GET /v1/reports/NAME`: authentication (admin, station subtree, forbidden), the `/v1`
/// header checks, JSON and CSV shapes, and the sync-health report after real pushes.
@Suite struct ReportsHTTPTests {
    let fixture: HubFixture
    let seed = ReportsSeed()
    let adminToken: String

    init() async throws {
        fixture = try await HubFixture()
        try seed.write(to: fixture.sqlite.replica)
        adminToken = try await fixture.store.addAdminToken(name: "县委组织部").token
    }

    /// `/v1` headers with a bearer token.
    func headers(token: String?) -> HTTPFields {
        var headers = fixture.headers(nil)
        if let token { headers[.authorization] = "Bearer \(token)" }
        return headers
    }

    @Test func adminReadsJSONWithColumnsAndRowObjects() async throws {
        try await fixture.application().test(.router) { client in
            // When an admin asks for the members report in English
            let (status, body, responseHeaders) = try await client.call(.get, "/v1/reports/members?lang=en", headers: headers(token: adminToken))
            // Then it is JSON: report, org, language, columns with labels, rows as objects in column order
            #expect(status == .ok)
            #expect(responseHeaders[.contentType] == "application/json")
            expectConforms(body, "ReportTable")
            let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(json["report"] as? String == "members" && json["org"] as? String == "yc" && json["language"] as? String == "en")
            let columns = try #require(json["columns"] as? [[String: String]])
            #expect(columns.first == ["key": "unit", "label": "Unit id"])
            let rows = try #require(json["rows"] as? [[String: Any]])
            #expect(rows.count == 6)
            #expect(rows.first?["total"] as? Int == seed.members.filter { !$0.deleted }.count)
            let decoded = try JSONDecoder().decode(ReportTable.self, from: body)
            #expect(decoded.rows.count == 6 && decoded.columns.count == columns.count)
            // And the report list names every report
            let (listStatus, list, _) = try await client.call(.get, "/v1/reports", headers: headers(token: adminToken))
            #expect(listStatus == .ok)
            expectConforms(list, "ReportList")
            #expect(String(decoding: list, as: UTF8.self).contains("\"team-hours\""))
        }
    }

    @Test func csvIsRFC4180WithChineseHeadersAndOptionalBOM() async throws {
        try await fixture.application().test(.router) { client in
            // When the team-hours report is fetched as CSV in Chinese with a BOM
            let (status, body, responseHeaders) = try await client.call(
                .get, "/v1/reports/team-hours?format=csv&lang=zh&bom=1", headers: headers(token: adminToken))
            #expect(status == .ok)
            #expect(responseHeaders[.contentType] == "text/csv; charset=utf-8")
            #expect(responseHeaders[.contentDisposition] == "attachment; filename=\"team-hours-yc.csv\"")
            // Then it starts with the BOM, lines end in CRLF, headers are Chinese, and a name with a
            // comma and quotes is quoted with the quotes doubled
            #expect(Array(body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: body.dropFirst(3), as: UTF8.self)
            #expect(text.hasPrefix("服务队编号,志愿服务队,组织编号,月份,记录数,时长（小时）\r\n"))
            #expect(text.contains("\"志愿服务队 1, \"\"先锋\"\"\""))
            #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            // And without bom=1 there is none
            let (_, plain, _) = try await client.call(.get, "/v1/reports/members?format=csv", headers: headers(token: adminToken))
            #expect(String(decoding: plain, as: UTF8.self).hasPrefix("组织编号,名称,层级,深度,直管党员,"))
        }
    }

    @Test func stationsReadOnlyTheirSubtree() async throws {
        try await fixture.application().test(.router) { client in
            // A station defaults to its own unit and may name a unit below it
            let (own, ownBody, _) = try await client.call(.get, "/v1/reports/orders", headers: fixture.headers("t1"))
            #expect(own == .ok)
            #expect(try JSONDecoder().decode(ReportTable.self, from: ownBody).org == "yc-t01")
            let (below, _, _) = try await client.call(.get, "/v1/reports/orders?org=yc-t01-c02", headers: fixture.headers("t1"))
            #expect(below == .ok)
            // But not the county or a sibling
            try await client.expectError(.get, "/v1/reports/orders?org=yc", headers: fixture.headers("t1"), status: .forbidden, code: .forbidden)
            try await client.expectError(.get, "/v1/reports/members?org=yc-t02", headers: fixture.headers("c01"), status: .forbidden, code: .forbidden)
        }
    }

    @Test("a script reads a report with its token alone, as README's curl line does (no sync headers)")
    func scriptsNeedNoSyncHeaders() async throws {
        try await fixture.application().test(.router) { client in
            // Given only `Authorization: Bearer <admin token>` (curl -H "Authorization: Bearer $TOKEN" …)
            let (status, body, headers) = try await client.call(
                .get, "/v1/reports/members?org=yc&format=csv", headers: [.authorization: "Bearer \(adminToken)"])
            // Then the report comes back
            #expect(status == .ok, "\(String(decoding: body, as: UTF8.self))")
            #expect(headers[.contentType]?.hasPrefix("text/csv") == true)
            // And a station token reads its own subtree the same way; JSON conforms to the spec
            let (stationStatus, stationBody, _) = try await client.call(
                .get, "/v1/reports/members", headers: [.authorization: "Bearer \(fixture.tokens["t1"]!)"])
            #expect(stationStatus == .ok)
            expectConforms(stationBody, "ReportTable")
            // And without a token a script gets 401, not a redirect meant for browsers
            try await client.expectError(.get, "/v1/reports/members", headers: [:], status: .unauthorized, code: .unauthorized)
        }
    }

    @Test func errorsFollowTheProtocol() async throws {
        try await fixture.application().test(.router) { client in
            // Unknown report → 404 not_found; unknown token → 401; wrong sync headers → 426/409; bad format or date → 400
            try await client.expectError(.get, "/v1/reports/nope", headers: headers(token: adminToken), status: .notFound, code: .notFound)
            try await client.expectError(.get, "/v1/reports/members", headers: headers(token: String(repeating: "ab", count: 32)), status: .unauthorized, code: .unauthorized)
            try await client.expectError(.get, "/v1/reports/members", headers: headers(token: nil), status: .unauthorized, code: .unauthorized)
            try await client.expectError(
                .get, "/v1/reports/members", headers: [.authorization: "Bearer \(adminToken)", .init("Tributary-Protocol")!: "2"], status: .upgradeRequired,
                code: .protocolMismatch)
            try await client.expectError(
                .get, "/v1/reports/members", headers: [.authorization: "Bearer \(adminToken)", .init("Tributary-Protocol")!: "1", .init("Tributary-Schema")!: "county-work/9"],
                status: .conflict, code: .schemaMismatch)
            try await client.expectError(.get, "/v1/reports/members?format=xml", headers: headers(token: adminToken), status: .badRequest, code: .badRequest)
            try await client.expectError(.get, "/v1/reports/orders?from=2025-13-01", headers: headers(token: adminToken), status: .badRequest, code: .badRequest)
            try await client.expectError(.get, "/v1/reports/members?org=nowhere", headers: headers(token: adminToken), status: .notFound, code: .notFound)
            // And a revoked admin token is refused
            let (admin, token) = try await fixture.store.addAdminToken(name: "old")
            _ = try await fixture.store.revokeAdminToken(id: admin.id)
            try await client.expectError(.get, "/v1/reports/members", headers: headers(token: token), status: .unauthorized, code: .tokenRevoked)
        }
    }

    @Test func syncHealthShowsContactAckRefusalsAndConflicts() async throws {
        // Given station c01 that pushed a member, the hub then renamed it, and the station renamed
        // it concurrently without seeing the hub's write (a conflict), plus an out-of-scope write
        let station = try fixture.replica("c01")
        try station.writeLocal(memberEdits("m-c", unit: "yc-t01-c01"))
        try await fixture.application().test(.router) { client in
            _ = try await client.push(fixture, "c01", try station.outbox())
            try fixture.sqlite.replica.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-c", field: "name"), scope: "yc-t01-c01", value: "林秀芳")])
            try station.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-c", field: "name"), scope: "yc-t01-c01", value: "林秀兰")])
            try station.writeLocal(memberEdits("m-out", unit: "yc-t02-c01"))
            let pushed = try await client.push(fixture, "c01", try station.outbox().filter { $0.seq > 3 })
            #expect(!pushed.refused.isEmpty)
            // When an admin reads the sync report in English
            let (_, body, _) = try await client.call(.get, "/v1/reports/sync?lang=en", headers: headers(token: adminToken))
            let table = try JSONDecoder().decode(ReportTable.self, from: body)
            let rows = table.records
            // Then c01 shows its contact, acked seq, refusals and the conflict; t1 (above it) sees the
            // conflict too; stations that never synced say so
            let c01 = try #require(rows.first { $0["station"] == .text(fixture.stationIDs["c01"]!) })
            #expect(c01["acked"] == .int(Int64(pushed.acked)))
            #expect(c01["refusals"] == .int(Int64(pushed.refused.count)))
            #expect(c01["conflicts"] == .int(1))
            #expect(c01["status"] == .text("Conflicts"))
            #expect(c01["lastContact"] == .text("2025-06-15T15:06:40Z"))
            let t1 = try #require(rows.first { $0["station"] == .text(fixture.stationIDs["t1"]!) })
            #expect(t1["conflicts"] == .int(1) && t1["status"] == .text("Never synced"))
            let t2 = try #require(rows.first { $0["station"] == .text(fixture.stationIDs["t2"]!) })
            #expect(t2["conflicts"] == .int(0))
        }
    }
}
