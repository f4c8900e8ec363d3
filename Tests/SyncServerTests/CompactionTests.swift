import Foundation
import Logging
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// `tributary-hub compact` drops log entries that no longer stand; stations with old cursors,
/// new stations and the conflict rule must not notice (SPEC §10 "Compaction").
@Suite("Compaction")
struct CompactionTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func sync(_ hub: HubFixture, _ station: String, _ replica: ReplicaStore) async throws {
        _ = try await SyncEngine(store: replica, transport: hub.inProcess(station), logger: Self.logger).sync()
    }

    func name(_ id: String, _ value: String, unit: String = "yc-t01-c01") -> [LocalEdit] {
        [LocalEdit(key: FieldKey(type: "member", id: id, field: "name"), scope: unit, value: .string(value))]
    }

    /// Compacts the fixture's hub file as `tributary-hub compact` would an hour later (the
    /// fixture's own clock stands still), dropping every entry that no longer stands.
    func compactLater(_ hub: HubFixture) async throws -> CompactReport {
        let later = try SQLiteHubStore.open(
            path: hub.directory.path("hub.db"), schema: hub.schema, wallClock: .fixed(HubFixture.wallMillis + 3_600_000))
        return try await later.compact(retentionMillis: 0)
    }

    func expectAgrees(_ hub: HubFixture, _ station: String, _ replica: ReplicaStore, _ comment: Comment) async throws {
        let hubView = try await hub.inProcess(station).scopeDigest()
        #expect(try replica.digest() == hubView.digest, comment)
    }

    @Test("a station holding an early write of an lww chain whose later writes were compacted still agrees")
    func oldCursorAfterAnLwwChain() async throws {
        // Given: a community station writes a member's name three times, syncing each time;
        // a township station bootstrapped after the first write and has not synced since
        let hub = try await HubFixture()
        let writer = try hub.replica("c01")
        let reader = try hub.replica("t1")
        try writer.writeLocal(memberEdits("m-1", unit: "yc-t01-c01", name: "一"))
        try await sync(hub, "c01", writer)
        try await sync(hub, "t1", reader)
        for value in ["二", "三"] {
            try writer.writeLocal(name("m-1", value))
            try await sync(hub, "c01", writer)
        }
        // When: the hub compacts away every entry that no longer stands ("一" and "二" go)
        let report = try await compactLater(hub)
        #expect(report.droppedLogEntries == 2)
        try await sync(hub, "t1", reader)
        // Then: the township station shows "三" with no conflict: the record's state came with
        // the pull, and with it the fact that "一" is superseded (the dropped "二" said so)
        #expect(try reader.record(RecordKey(type: "member", id: "m-1"))?.values["name"] == "三")
        #expect(try reader.conflicts().isEmpty)
        try await expectAgrees(hub, "t1", reader, "old cursor after compaction")
    }

    @Test("compaction keeps conflicts, forward states and deletes; old cursors, a pull from 0 and a new snapshot agree")
    func everyPolicyAndEveryWayIn() async throws {
        // Given: a conflict on a name, a service order advanced three times, a deleted member
        let hub = try await HubFixture()
        let township = try hub.replica("t1")
        let community = try hub.replica("c01")
        let late = try hub.replica("county")
        try community.writeLocal(memberEdits("m-c", unit: "yc-t01-c01"))
        try await sync(hub, "c01", community)
        try await sync(hub, "t1", township)
        try await sync(hub, "county", late)
        try community.writeLocal(name("m-c", "社区写的"))
        try township.writeLocal(name("m-c", "镇里写的"))
        let order = FieldKey(type: "serviceOrder", id: "so-1", field: "state")
        try community.writeLocal([
            LocalEdit(key: FieldKey(type: "serviceOrder", id: "so-1", field: "orgUnitId"), scope: "yc-t01-c01", value: "yc-t01-c01"),
            LocalEdit(key: order, scope: "yc-t01-c01", value: "ordered"),
        ])
        try await sync(hub, "c01", community)
        try township.writeLocal([LocalEdit(key: order, scope: "yc-t01-c01", value: "done")])
        try await sync(hub, "t1", township)
        try community.writeLocal([LocalEdit(key: order, scope: "yc-t01-c01", value: "dispatched")])
        try community.writeLocal(memberEdits("m-gone", unit: "yc-t01-c01"))
        try community.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-gone", field: "_deleted"), scope: "yc-t01-c01", value: true)])
        try await sync(hub, "c01", community)
        try await sync(hub, "t1", township)
        let conflictsBefore = try hub.store.replica.conflicts()
        #expect(!conflictsBefore.isEmpty)

        // When: the hub compacts
        let report = try await compactLater(hub)
        #expect(report.droppedLogEntries == 3, "the first name, and the two service-order states below the last write")

        // Then: the hub keeps its conflicts and state; the county station (whose cursor is
        // from before all of it), a pull from 0 into an empty replica, and a new station's
        // snapshot all hold the hub's view
        #expect(try hub.store.replica.conflicts() == conflictsBefore)
        try await sync(hub, "county", late)
        try await expectAgrees(hub, "county", late, "old cursor")
        #expect(try late.record(RecordKey(type: "serviceOrder", id: "so-1"))?.values["state"] == "done")
        #expect(try late.conflicts() == conflictsBefore)

        let fromZero = try hub.replica("county2")
        var cursor: Int64 = 0
        while true {
            let page = try await hub.inProcess("county2").pull(cursor: cursor, limit: 3)
            _ = try SyncEngine.apply(page, to: fromZero)
            guard page.more else { break }
            cursor = page.cursor
        }
        try await expectAgrees(hub, "county2", fromZero, "pull from 0 after compaction, 3 changes a page")

        let (_, token) = try await hub.store.addStation(name: "new", org: "yc")
        var fresh = hub
        fresh.tokens["new"] = token
        let newcomer = try hub.replica("new")
        try await sync(fresh, "new", newcomer)
        try await expectAgrees(fresh, "new", newcomer, "snapshot after compaction")
    }
}
