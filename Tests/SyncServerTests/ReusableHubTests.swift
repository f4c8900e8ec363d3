import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// SyncServer as a reusable hub (issue 19): `buildApplication(configuration:)` starts a hub on
/// the schema its configuration gives — here `parish/1`, made up, with no county type — and
/// that hub serves sync, the generic reports and the dashboard; the county reports, which
/// read county types, are not offered.
@Suite struct ReusableHubTests {
    static let parish = try! Schema(
        name: "parish", version: 1,
        types: [
            "area": RecordType(
                scopeField: nil,
                fields: [
                    "name": FieldSpec(kind: .string, required: true), "kind": FieldSpec(kind: .string),
                    "parentId": FieldSpec(kind: .ref, ref: "area"),
                ]),
            "visit": RecordType(
                scopeField: "areaId",
                fields: [
                    "areaId": FieldSpec(kind: .ref, ref: "area", required: true), "notes": FieldSpec(kind: .text),
                    "phone": FieldSpec(kind: .string, personal: true),
                ]),
        ])

    @Test func aHubOnAnotherSchemaServesSyncGenericReportsAndTheDashboard() async throws {
        // Given a hub built from a configuration naming the parish schema, on a new file
        let directory = TemporaryDirectory("parish")
        let path = directory.path("hub.db")
        var configuration = HubConfiguration(port: 0, dbPath: path, schema: Self.parish)
        configuration.headerTimeout = 3_600
        configuration.idleTimeout = 3_600
        let app = try await buildApplication(configuration: configuration)
        // And its tree, a station and an admin token (through the file, as tributary-hub does;
        // opened with no schema, the store goes by the file's own)
        let admin = try SQLiteHubStore.open(path: path, schema: nil)
        #expect(admin.schema == Self.parish)
        _ = try await admin.importOrgUnits([
            HubOrgUnit(id: "p", name: "St Mary", kind: "parish"), HubOrgUnit(id: "p-n", name: "North", kind: "ward", parentId: "p"),
            HubOrgUnit(id: "p-s", name: "South", kind: "ward", parentId: "p"),
        ])
        #expect(try await admin.records(ofType: "area").map(\.id) == ["p", "p-n", "p-s"])
        let (_, token) = try await admin.addStation(name: "North desk", org: "p-n")
        let adminToken = try await admin.addAdminToken(name: "vicar").token
        try await app.test(.live) { client in
            // When a station on the same schema writes two visits offline and syncs over HTTP
            let hub = URL(string: "http://127.0.0.1:\(client.port!)")!
            let station = try Station.create(at: directory.path("north.db"), org: "p-n", hub: hub, token: token, schema: Self.parish)
            try station.put(type: "visit", id: "v-1", fields: ["areaId": .string("p-n"), "notes": .string("Mrs Hale"), "phone": .string("0123")])
            try station.put(type: "visit", id: "v-2", fields: ["areaId": .string("p-n"), "notes": .string("Mr Ode")])
            let summary = try await station.syncEngine(logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })).sync()
            // Then the hub took both, and the station holds the part of the tree it sees (its ward
            // and the parish), which the hub wrote as records of the schema's own unit type
            #expect(summary.pushed >= 2 && summary.refused.isEmpty)
            #expect(try station.store.records(ofType: "area").map(\.key.id) == ["p", "p-n"])
            // And it learned who writes as which site: the hub, and itself
            #expect(Set(try station.siteNames().values) == ["hub", "North desk"])
            let bearer: HTTPFields = [.authorization: "Bearer \(adminToken)"]
            // And the report list offers sync and the generic reports, no county report
            let (_, list, _) = try await client.call(.get, "/v1/reports", headers: bearer)
            let names = try #require(try JSONSerialization.jsonObject(with: list) as? [String: Any])["reports"] as? [[String: Any]]
            #expect(names?.compactMap { $0["name"] as? String } == ["sync", "counts", "records"])
            expectConforms(list, "ReportList")
            // And the visits are counted per ward and exported, the phone for the admin
            let (_, counts, _) = try await client.call(.get, "/v1/reports/counts?type=visit&lang=en", headers: bearer)
            let countTable = try JSONDecoder().decode(ReportTable.self, from: counts)
            #expect(countTable.column("unit") == [.text("p"), .text("p-n"), .text("p-s")] && countTable.column("records") == [.int(2), .int(2), .int(0)])
            let (_, records, _) = try await client.call(.get, "/v1/reports/records?type=visit&format=csv&lang=en", headers: bearer)
            #expect(String(decoding: records, as: UTF8.self) == "Record id,Unit id,Unit name,notes,phone\r\nv-1,p-n,North,Mrs Hale,0123\r\nv-2,p-n,North,Mr Ode,\r\n")
            // And a county report says what it lacks
            let (missing, body, _) = try await client.call(.get, "/v1/reports/members", headers: bearer)
            #expect(missing == .notFound && String(decoding: body, as: UTF8.self).contains("parish\\/1"))
            // And the dashboard shows sync health and the type picker, no county figures
            let (_, _, signedIn) = try await client.call(
                .post, "/login", headers: [.contentType: "application/x-www-form-urlencoded"], body: Data("token=\(adminToken)".utf8))
            let cookie = String(try #require(signedIn[values: .setCookie].first { $0.hasPrefix("tributary_session=") }).prefix { $0 != ";" })
            let (status, page, _) = try await client.call(.get, "/?type=visit&lang=en", headers: [.cookie: cookie])
            let html = String(decoding: page, as: UTF8.self)
            #expect(status == .ok && html.contains("St Mary") && html.contains("id=\"sync\"") && html.contains("North desk"))
            #expect(html.contains("<option value=\"visit\" selected>") && html.contains("id=\"record-counts\"") && html.contains("Mrs Hale"))
            #expect(!html.contains("orders-chart") && !html.contains("/v1/reports/members"))
        }
    }

    @Test func aHubFileWithoutASchemaNeedsOneFromItsConfiguration() async throws {
        // Given no hub file and a configuration with no schema
        let directory = TemporaryDirectory("parish")
        let configuration = HubConfiguration(port: 0, dbPath: directory.path("hub.db"))
        // When the hub is built / Then it says what is missing, creating nothing
        await #expect(throws: SyncError.self) { _ = try await buildApplication(configuration: configuration) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("hub.db")))
    }
}
