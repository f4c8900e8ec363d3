import CountyWork
import Foundation
import Hummingbird
import Logging
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// The convergence benchmark, small, as a regular test: 20 stations × 500 changes through the
/// real hub on 127.0.0.1 (Hummingbird, `buildApplication`), stations as `Station`s syncing over
/// `HTTPTransport`. Township stations and the community stations below them edit shared
/// records concurrently (lww fields, forward states, attendee sets). After every station has
/// synced twice, each station's `digest()` must equal the hub's `/v1/digest` for it.
@Suite struct ConvergenceScaleTests {
    static let townships = ["t1", "t2", "t3", "t4"]
    static let stationsPerTownship = 5
    static let changesPerStation = 500

    /// The county: a root, four townships, four communities under each, two grids under each community.
    static func orgUnits() -> [HubOrgUnit] {
        var units = [HubOrgUnit(id: "yc", name: "永春县", kind: "county")]
        for t in townships {
            units.append(HubOrgUnit(id: "yc-\(t)", name: "镇 \(t)", kind: "township", parentId: "yc"))
            for c in 1...4 {
                units.append(HubOrgUnit(id: "yc-\(t)-c\(c)", name: "社区 \(c)", kind: "community", parentId: "yc-\(t)"))
                for g in 1...2 {
                    units.append(HubOrgUnit(id: "yc-\(t)-c\(c)-g\(g)", name: "网格 \(g)", kind: "grid", parentId: "yc-\(t)-c\(c)"))
                }
            }
        }
        return units
    }

    /// One station's offline work: shared records (written by the township station and by
    /// the community station alike), then its own members, orders, hours and check-ins.
    static func edits(org: String, township: String, random: inout SeededRandom) -> [LocalEdit] {
        let isTownship = org == "yc-\(township)"
        let communities = isTownship ? (1...4).map { "yc-\(township)-c\($0)" } : [org]
        var edits: [LocalEdit] = []
        func put(_ type: String, _ id: String, _ scope: String, _ field: String, _ value: FieldValue, element: String? = nil) {
            edits.append(LocalEdit(key: FieldKey(type: type, id: id, field: field, element: element), scope: scope, value: value))
        }
        for unit in communities {
            for k in 0..<2 {
                put("member", "m-\(unit)-shared-\(k)", unit, "category", .string(isTownship ? "retired" : "floating"))
                put("member", "m-\(unit)-shared-\(k)", unit, "name", .string("共管党员\(k)"))
                put("member", "m-\(unit)-shared-\(k)", unit, "orgUnitId", .string(unit))
                put("serviceOrder", "so-\(unit)-shared-\(k)", unit, "state", .string(isTownship ? "dispatched" : "accepted"))
                put("serviceOrder", "so-\(unit)-shared-\(k)", unit, "orgUnitId", .string(unit))
                put("activity", "act-\(unit)-shared-\(k)", unit, "orgUnitId", .string(unit))
                put("activity", "act-\(unit)-shared-\(k)", unit, "attendees", .bool(true), element: "m-\(org)-\(k)")
            }
        }
        let units = isTownship ? communities : [org, "\(org)-g1", "\(org)-g2"]
        var index = 0
        while edits.count < changesPerStation {
            let unit = units[Int(random.next() % UInt64(units.count))]
            switch random.next() % 4 {
            case 0:
                put("member", "m-\(org)-\(index)", unit, "name", .string("党员\(index)"))
                put("member", "m-\(org)-\(index)", unit, "orgUnitId", .string(unit))
                put("member", "m-\(org)-\(index)", unit, "category", .string("direct"))
            case 1:
                put("serviceOrder", "so-\(org)-\(index)", unit, "orgUnitId", .string(unit))
                put("serviceOrder", "so-\(org)-\(index)", unit, "state", .string("ordered"))
                put("serviceOrder", "so-\(org)-\(index)", unit, "state", .string("done"))
            case 2:
                put("volunteerHours", "vh-\(org)-\(index)", unit, "memberId", .string("m-\(org)-0"))
                put("volunteerHours", "vh-\(org)-\(index)", unit, "hours", .number(1.5))
                put("volunteerHours", "vh-\(org)-\(index)", unit, "orgUnitId", .string(unit))
            default:
                // A shared member (they live in communities, not in grids).
                let community = communities[Int(random.next() % UInt64(communities.count))]
                put("member", "m-\(community)-shared-\(index % 2)", community, "birthYear", .int(Int64(1950 + index % 40)))
            }
            index += 1
        }
        return Array(edits.prefix(changesPerStation))
    }

    @Test func everyStationConvergesWithTheHub() async throws {
        // Given a hub with the county tree and 20 stations (a township station and four
        // community stations per township), each holding 500 changes written offline
        let seed: UInt64 = 20_250_601
        let directory = TemporaryDirectory("convergence")
        let schema = try CountyWorkSchema.load()
        let store = try SQLiteHubStore.open(path: directory.path("hub.db"), schema: schema)
        _ = try await store.importOrgUnits(Self.orgUnits())
        var random = SeededRandom(seed: seed)
        var plan: [(org: String, token: String, edits: [LocalEdit])] = []
        for township in Self.townships {
            for org in ["yc-\(township)"] + (1...4).map({ "yc-\(township)-c\($0)" }) {
                let (_, token) = try await store.addStation(name: org, org: org)
                plan.append((org, token, Self.edits(org: org, township: township, random: &random)))
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { server in
            let ready = AsyncStream<Int>.makeStream()
            let serving = buildApplication(store: store, configuration: HubConfiguration(port: 0), onServerRunning: { bound in
                ready.continuation.yield(bound)
                ready.continuation.finish()
            })
            server.addTask { try await serving.runService(gracefulShutdownSignals: []) }
            var iterator = ready.stream.makeAsyncIterator()
            guard let bound = await iterator.next() else { throw CLIFailure("the hub did not start") }
            let hub = URL(string: "http://127.0.0.1:\(bound)")!

            var stations: [Station] = []
            for (index, entry) in plan.enumerated() {
                let station = try Station.create(at: directory.path("station-\(index).db"), org: entry.org, hub: hub, token: entry.token)
                try station.store.writeLocal(entry.edits)
                stations.append(station)
            }
            let logger = Logger(label: "convergence-test", factory: { _ in SwiftLogNoOpLogHandler() })

            // When every station syncs with the hub at once, twice (the second round brings
            // what others pushed after a station's first pull)
            for _ in 0..<2 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for station in stations {
                        let engine = try station.syncEngine(logger: logger)
                        group.addTask { _ = try await engine.sync() }
                    }
                    try await group.waitForAll()
                }
            }

            // Then the hub holds every change, every station's digest equals the hub's digest
            // of that station's view, and the concurrent lww edits are held as conflicts
            #expect(try store.replica.logCount() >= plan.count * Self.changesPerStation, "seed \(seed)")
            var conflicts = 0
            for (station, entry) in zip(stations, plan) {
                let hubDigest = try await station.httpTransport().scopeDigest()
                #expect(try station.store.digest() == hubDigest.digest, "station \(entry.org), seed \(seed)")
                #expect(try station.store.outboxCount() == 0, "station \(entry.org)")
                conflicts += try station.store.conflicts().count
            }
            #expect(conflicts > 0, "the shared member categories were written concurrently; seed \(seed)")
            server.cancelAll()
        }
    }
}

/// A failure of the test's own set-up.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
