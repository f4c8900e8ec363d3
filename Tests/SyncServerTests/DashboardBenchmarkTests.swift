import CountyWork
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// Page render and report query times on a benchmark-size county (the sample tree of ~300
/// units, 20k members, 10k orders, 100k time-bank entries). Opt-in, since seeding takes a
/// while: `TRIBUTARY_BENCH=1 swift test --filter DashboardBenchmarkTests`. It prints the
/// figures; it asserts only that every page renders (no timing asserts, STYLE.md).
/// `TRIBUTARY_BENCH_DB=path` keeps the seeded hub file for later runs and demos.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TRIBUTARY_BENCH"] != nil))
struct DashboardBenchmarkTests {
    @Test func benchmarkCounty() async throws {
        let directory = TemporaryDirectory("bench")
        let path = ProcessInfo.processInfo.environment["TRIBUTARY_BENCH_DB"] ?? directory.path("hub.db")
        let schema = try CountyWorkSchema.load()
        let fresh = !FileManager.default.fileExists(atPath: path)
        let store = try SQLiteHubStore.open(path: path, schema: schema)
        if fresh {
            let started = ContinuousClock.now
            try await BenchmarkCounty.seed(store)
            print("bench: seeded in \(ContinuousClock.now - started)")
        }
        let token = try await store.addAdminToken(name: "bench").token
        let units = try await store.orgUnits()
        let township = units.first { $0.kind == "township" }!.id
        let community = units.first { $0.kind == "community" }!.id

        // Report query times (median of 5 runs).
        for report in HubReport.allCases {
            for org in [nil, township] {
                var times: [Duration] = []
                var rows = 0
                for _ in 0..<5 {
                    let started = ContinuousClock.now
                    rows = try await store.report(report, query: ReportQuery(org: org)).rows.count
                    times.append(ContinuousClock.now - started)
                }
                print("bench: report \(report.rawValue) org=\(org ?? "county") rows=\(rows) median=\(times.sorted()[2])")
            }
        }

        // Page render times through the router (sign-in, then each page 5 times).
        let app = buildApplication(store: store, configuration: HubConfiguration(port: 0))
        try await app.test(.router) { client in
            let cookie = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "token=\(token)")
            ) { response in String(response.headers[values: .setCookie].first!.prefix { $0 != ";" }) }
            for page in ["/", "/org/\(township)", "/org/\(community)"] {
                var times: [Duration] = []
                var bytes = 0
                for _ in 0..<5 {
                    let started = ContinuousClock.now
                    bytes = try await client.execute(uri: page, method: .get, headers: [.cookie: cookie]) { response in
                        #expect(response.status == .ok)
                        return response.body.readableBytes
                    }
                    times.append(ContinuousClock.now - started)
                }
                print("bench: page \(page) bytes=\(bytes) median=\(times.sorted()[2]) max=\(times.max()!)")
            }
        }
    }
}

/// Writes a benchmark-size county through the hub replica's write path.
enum BenchmarkCounty {
    static func seed(_ store: SQLiteHubStore) async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Protocol/examples/sample-county.csv")
        let units = try OrgTreeFile.parse(String(contentsOf: file, encoding: .utf8), existing: [])
        _ = try await store.importOrgUnits(units)
        for unit in units where unit.kind == "township" {
            _ = try await store.addStation(name: unit.name + "工作站", org: unit.id)
        }
        let leaves = units.filter { ["community", "village", "grid", "building"].contains($0.kind) }.map(\.id)
        var random = SeededRandom(seed: 42)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func date(_ month: Int? = nil) -> String { String(format: "2025-%02d-%02d", month ?? 1 + Int(random.next() % 12), 1 + Int(random.next() % 28)) }
        var edits: [LocalEdit] = []
        func add(_ type: String, _ id: String, _ scope: String, _ fields: [String: FieldValue]) throws {
            for (field, value) in fields.sorted(by: { $0.key < $1.key }) {
                edits.append(LocalEdit(key: FieldKey(type: type, id: id, field: field), scope: scope, value: value))
            }
            if edits.count >= 20_000 { try flush() }
        }
        func flush() throws {
            try store.replica.writeLocal(edits)
            edits.removeAll(keepingCapacity: true)
        }
        var memberUnit: [String] = []
        for index in 0..<20_000 {
            let unit = pick(leaves)
            memberUnit.append(unit)
            try add("member", "m-\(index)", unit, [
                "name": .string("党员\(index)"), "orgUnitId": .string(unit), "category": .string(pick(["direct", "inService", "retired", "floating", "laidOff"])),
            ])
        }
        for index in 0..<400 {
            let unit = pick(leaves)
            try add("volunteerTeam", "team-\(index)", unit, ["name": .string("志愿服务队\(index)"), "orgUnitId": .string(unit)])
        }
        for index in 0..<10_000 {
            let unit = pick(leaves)
            let state = pick(["ordered", "dispatched", "accepted", "done", "reviewed"])
            var fields: [String: FieldValue] = [
                "orgUnitId": .string(unit), "category": .string(pick(["legalAdvice", "applianceRepair", "billPayment", "parcelPickup", "elderCare", "other"])),
                "state": .string(state), "orderedOn": .string(date(6)), "requester": .string("居民\(index)"),
            ]
            if state == "done" || state == "reviewed" { fields["doneOn"] = .string(date(7)) }
            if state == "reviewed" { fields["rating"] = .int(Int64(1 + random.next() % 5)) }
            try add("serviceOrder", "o-\(index)", unit, fields)
        }
        for index in 0..<100_000 {
            let member = Int(random.next() % 20_000)
            try add("volunteerHours", "h-\(index)", memberUnit[member], [
                "memberId": .string("m-\(member)"), "orgUnitId": .string(memberUnit[member]), "date": .string(date()),
                "hours": .number(Double(1 + random.next() % 8) / 2), "teamId": .string("team-\(random.next() % 400)"),
            ])
        }
        for index in 0..<2_000 {
            let unit = pick(leaves)
            try add("gridIncident", "g-\(index)", unit, [
                "gridId": .string(unit), "state": .string(pick(["reported", "handling", "resolved"])), "reportedOn": .string(date()),
                "category": .string("sanitation"), "reportedBy": .string("网格员"),
            ])
            try add("microWish", "w-\(index)", unit, [
                "orgUnitId": .string(unit), "state": .string(pick(["posted", "claimed", "fulfilled"])), "postedOn": .string(date()),
                "beneficiary": .string("居民"), "wish": .string("微心愿"),
            ])
        }
        for index in 0..<1_000 {
            let unit = pick(leaves)
            try add("activity", "a-\(index)", unit, [
                "orgUnitId": .string(unit), "kind": .string(index % 4 == 0 ? "unifiedActivityDay" : "themedDay"), "date": .string(date()),
                "title": .string("主题党日"),
            ])
            for attendee in 0..<10 {
                edits.append(LocalEdit(key: FieldKey(type: "activity", id: "a-\(index)", field: "attendees", element: "m-\((index * 10 + attendee) % 20_000)"), scope: unit, value: .bool(true)))
            }
        }
        try flush()
    }
}
