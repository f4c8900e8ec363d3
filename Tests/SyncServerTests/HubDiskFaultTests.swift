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

/// The hub on a full disk or a read-only file (SPEC §16): it acknowledges only what it
/// committed, answers 507 `disk_full` / 503 `read_only`, and takes the same push once the
/// space is back, without a restart.
@Suite("Disk faults on the hub")
struct HubDiskFaultTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    static let units = ["t1": "yc-t01", "t2": "yc-t02", "c01": "yc-t01-c01"]

    /// Three stations with 40 new members each, and their outboxes.
    static func stationsWithMembers(_ hub: HubFixture) throws -> (replicas: [String: ReplicaStore], batches: [String: [Change]]) {
        var replicas: [String: ReplicaStore] = [:]
        var batches: [String: [Change]] = [:]
        for (name, unit) in units {
            let replica = try hub.replica(name)
            for index in 1...40 { try replica.writeLocal(memberEdits("m-\(name)-\(index)", unit: unit)) }
            replicas[name] = replica
            batches[name] = try replica.outbox()
        }
        return (replicas, batches)
    }

    /// Pushes every batch at once (they meet in one group transaction) and collects the answers.
    static func pushAll(_ hub: HubFixture, _ batches: [String: [Change]]) async throws -> [String: Result<PushResponse, any Error>] {
        let stations = try await Dictionary(uniqueKeysWithValues: hub.store.stations().map { ($0.name, $0) })
        let context = ValidationContext(wallMillis: HubFixture.wallMillis)
        return await withTaskGroup(of: (String, Result<PushResponse, any Error>).self) { group in
            for (name, changes) in batches {
                group.addTask {
                    do { return (name, .success(try await hub.store.push(changes, from: stations[name]!, context: context))) }
                    catch { return (name, .failure(error)) }
                }
            }
            var outcomes: [String: Result<PushResponse, any Error>] = [:]
            for await (name, outcome) in group { outcomes[name] = outcome }
            return outcomes
        }
    }

    static func acked(_ hub: HubFixture) async throws -> [String: UInt64] {
        try await Dictionary(uniqueKeysWithValues: hub.store.stations().map { ($0.name, $0.acked) })
    }

    static func members(_ store: SQLiteHubStore, of station: String) throws -> Int {
        try (1...40).filter { try store.replica.record(RecordKey(type: "member", id: "m-\(station)-\($0)")) != nil }.count
    }

    @Test("pushes on a full disk are refused with disk_full and not acknowledged; once space is back they go through")
    func fullDiskGroup() async throws {
        // Given a hub whose file may not grow, and three stations with 40 new members each
        let hub = try await HubFixture()
        let (_, batches) = try Self.stationsWithMembers(hub)
        let digestBefore = try hub.sqlite.replica.digest()
        let logBefore = try hub.sqlite.replica.logCount()
        let ackedBefore = try await Self.acked(hub)
        try hub.sqlite.replica.capGrowth()

        // When the three push at once (one group transaction, a savepoint each)
        let outcomes = try await Self.pushAll(hub, batches)

        // Then each push is either acknowledged and on the hub in full, or refused with
        // disk_full and neither on the hub nor acknowledged
        var refused: [String: [Change]] = [:]
        var committed = 0
        let acked = try await Self.acked(hub)
        for (name, changes) in batches {
            switch try #require(outcomes[name]) {
            case .success(let response):
                #expect(response.acked == changes.last!.seq && response.applied == changes.count)
                #expect(try Self.members(hub.sqlite, of: name) == 40)
                committed += changes.count
            case .failure(let error):
                #expect((error as? SyncError)?.code == .diskFull, "\(error)")
                #expect(try Self.members(hub.sqlite, of: name) == 0)
                #expect(acked[name] == ackedBefore[name])
                refused[name] = changes
            }
        }
        #expect(!refused.isEmpty, "a capped hub took three pushes of 120 changes")
        print("disk: capped hub, 3 concurrent pushes of 120 changes: \(refused.count) refused with disk_full, \(committed) changes committed and acknowledged")
        #expect(try hub.sqlite.replica.logCount() == logBefore + committed)
        if committed == 0 { #expect(try hub.sqlite.replica.digest() == digestBefore) }

        // When the space is back and the refused stations push the same batches again
        try hub.sqlite.replica.uncapGrowth()
        let retried = try await Self.pushAll(hub, refused)
        // Then they are applied and acknowledged, without a restart
        for (name, changes) in refused {
            let response = try #require(try retried[name]?.get())
            #expect(response.acked == changes.last!.seq && response.applied == changes.count && response.duplicates == 0)
        }
        // And after a reopen of the file everything acknowledged is there, once
        let reopened = try SQLiteHubStore.open(path: hub.directory.path("hub.db"), schema: hub.schema, wallClock: .fixed(HubFixture.wallMillis))
        for name in batches.keys { #expect(try Self.members(reopened, of: name) == 40) }
        #expect(try reopened.replica.logCount() == logBefore + 360)
    }

    @Test("a push on a full disk is answered 507 disk_full over HTTP, a read-only hub 503 read_only; reads still work")
    func httpStatuses() async throws {
        // Given a hub and a station with a new member
        let hub = try await HubFixture()
        let station = try hub.replica("t1")
        for index in 1...40 { try station.writeLocal(memberEdits("m-\(index)", unit: "yc-t01-c01")) }
        let body = try JSONEncoder().encode(PushRequest(changes: try station.outbox()))
        try await hub.application().test(.router) { client in
            // When the hub's file may not grow / Then the push is answered 507 disk_full
            try hub.sqlite.replica.capGrowth()
            let full = try await client.expectError(
                .post, "/v1/push", headers: hub.headers("t1"), body: body, status: .init(code: 507), code: .diskFull)
            #expect(full.error.message.contains("free space") && !full.error.message.contains(hub.directory.url.path))
            try hub.sqlite.replica.uncapGrowth()

            // When the hub's file is read-only / Then a push and a registration are answered 503 read_only
            try hub.sqlite.replica.setQueryOnly(true)
            try await client.expectError(.post, "/v1/push", headers: hub.headers("t1"), body: body, status: .serviceUnavailable, code: .readOnly)
            await #expect {
                _ = try await hub.store.addStation(name: "t9", org: "yc-t01")
            } throws: { error in
                (error as? SyncError)?.code == .readOnly
            }
            // And a pull still answers
            let (status, _, _) = try await client.call(.get, "/v1/pull?cursor=0", headers: hub.headers("t1"))
            #expect(status == .ok)
            try hub.sqlite.replica.setQueryOnly(false)

            // And once writable again the same push goes through
            let response = try await client.push(hub, "t1", try station.outbox())
            #expect(response.applied == 120)
        }
    }

    @Test("a station syncing with a full hub keeps its outbox; a pull it cannot store keeps its cursor; both converge once space is back")
    func stationSync() async throws {
        // Given a township station with 40 new members and a community station with 5 of its own
        let hub = try await HubFixture()
        let writer = try hub.replica("t1")
        for index in 1...40 { try writer.writeLocal(memberEdits("m-\(index)", unit: "yc-t01-c01")) }
        let reader = try hub.replica("c01")
        for index in 1...5 { try reader.writeLocal(memberEdits("c-\(index)", unit: "yc-t01-c01")) }
        try await hub.application().test(.live) { client in
            let writerTransport = SyncEngineTests.transport(hub, "t1", port: client.port!)
            let readerTransport = SyncEngineTests.transport(hub, "c01", port: client.port!)

            // When the township syncs with a hub whose disk is full
            try hub.sqlite.replica.capGrowth()
            await #expect {
                try await SyncEngine(store: writer, transport: writerTransport, logger: Self.logger).sync()
            } throws: { error in
                (error as? SyncError)?.code == .diskFull
            }
            // Then its outbox is kept whole and the hub acknowledged nothing
            #expect(try writer.outboxCount() == 120)
            #expect(try await Self.acked(hub)["t1"] == 0)

            // When space is back / Then the next round pushes everything
            try hub.sqlite.replica.uncapGrowth()
            let pushed = try await SyncEngine(store: writer, transport: writerTransport, logger: Self.logger).sync()
            #expect(try pushed.pushed == 120 && writer.outboxCount() == 0)

            // When the community station syncs while its own disk is full
            try reader.capGrowth()
            let cursorBefore = try reader.read { db in try Meta.pullCursor.read(db) }
            await #expect {
                try await SyncEngine(store: reader, transport: readerTransport, logger: Self.logger).sync()
            } throws: { error in
                (error as? SyncError)?.code == .diskFull
            }
            // Then what it pulled is not half stored: no cursor moved, none of the township's members in
            #expect(try reader.read { db in try Meta.pullCursor.read(db) } == cursorBefore)
            #expect(try reader.records(ofType: "member").filter { $0.key.id.hasPrefix("m-") }.isEmpty)
            // And its own members are still all there, acknowledged by the hub or still in the outbox
            let readerAcked = try await Self.acked(hub)["c01"] ?? 0
            #expect(try reader.records(ofType: "member").count == 5)
            #expect(try readerAcked == 15 || reader.outboxCount() == 15)

            // When its disk has room again / Then one round brings it level with the hub
            try reader.uncapGrowth()
            _ = try await SyncEngine(store: reader, transport: readerTransport, logger: Self.logger).sync()
            #expect(try reader.outboxCount() == 0)
            #expect(try reader.records(ofType: "member").count == 45)
            #expect(try reader.digest() == (try await readerTransport.scopeDigest()).digest)
        }
    }

    @Test("a push the hub acknowledged but the station could not record is pushed again and counted once")
    func lostAcknowledgement() async throws {
        // Given a station with 40 new members
        let hub = try await HubFixture()
        let station = try hub.replica("t1")
        for index in 1...40 { try station.writeLocal(memberEdits("m-\(index)", unit: "yc-t01-c01")) }
        let logBefore = try hub.sqlite.replica.logCount()
        try await hub.application().test(.live) { client in
            let http = SyncEngineTests.transport(hub, "t1", port: client.port!)
            // When the hub acknowledges the push but the station's file turns read-only before
            // it records the acknowledgement
            let losing = AckLosingTransport(base: http, station: station)
            await #expect {
                try await SyncEngine(store: station, transport: losing, logger: Self.logger).sync()
            } throws: { error in
                (error as? SyncError)?.code == .readOnly
            }
            // Then the hub holds the changes while the station still has them in its outbox
            #expect(try await Self.acked(hub)["t1"] == 120)
            #expect(try station.outboxCount() == 120)

            // When the file is writable again and the station syncs
            try station.setQueryOnly(false)
            _ = try await SyncEngine(store: station, transport: http, logger: Self.logger).sync()
            // Then the hub took the second push as duplicates: each change is in its log once
            #expect(try station.outboxCount() == 0)
            #expect(try hub.sqlite.replica.logCount() == logBefore + 120)
            #expect(try station.digest() == (try await http.scopeDigest()).digest)
        }
    }
}

/// A real transport whose push answer arrives after the station's file turned read-only:
/// the hub committed and acknowledged, the station cannot write that down.
struct AckLosingTransport: ChangeTransport {
    let base: HTTPTransport
    let station: ReplicaStore

    func push(_ request: PushRequest) async throws(SyncError) -> PushResponse {
        let response = try await base.push(request)
        do { try station.setQueryOnly(true) } catch { throw SyncError(.internalError, "\(error)") }
        return response
    }
    func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse { try await base.pull(cursor: cursor, limit: limit) }
    func snapshot(page: String?, limit: Int) async throws(SyncError) -> SnapshotPage { try await base.snapshot(page: page, limit: limit) }
    func whoami() async throws(SyncError) -> WhoAmIResponse { try await base.whoami() }
    func scopeDigest() async throws(SyncError) -> DigestResponse { try await base.scopeDigest() }
    func schema(version: Int?) async throws(SyncError) -> Schema { try await base.schema(version: version) }
}
