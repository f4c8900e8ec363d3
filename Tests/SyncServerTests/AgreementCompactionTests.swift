import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// `tributary-hub compact` (SPEC §10 Operations): dropping old log entries changes nothing any
/// replica ends up holding — a station with an old cursor, a new station's snapshot, and a
/// station holding an intermediate write of a field all agree with the hub afterwards.
@Suite("Compaction against the agreement harness")
struct AgreementCompactionTests {
    /// A member whose name was written `count` times by `writer`, a minute apart, each pushed
    /// (so that the hub's clock keeps up with true time).
    static func nameChain(_ id: String, count: Int, by writer: AgreementStation, world: AgreementWorld, first: Int = 0) async throws {
        for index in first..<(first + count) {
            try writer.station.put(
                type: "member", id: id, fields: ["name": .string("名字\(index)"), "orgUnitId": "yc-t01", "category": "retired"])
            try await writer.synced()
            world.truth.advance(by: 60_000)
        }
    }

    @Test("a station pulling from a cursor older than the compaction gets what it missed")
    func pullFromAnOldCursor() async throws {
        // Given: a station that synced before a member was created and renamed five times.
        let world = try await AgreementWorld()
        let reader = try await world.addStation("reader", at: "yc-t01")
        let writer = try await world.addStation("writer", at: "yc-t01")
        try await reader.synced()
        try await writer.synced()
        try await Self.nameChain("m1", count: 6, by: writer, world: world)

        // When: two minutes later the hub compacts with a retention of 30 seconds, and the
        // station pulls from its old cursor.
        world.truth.advance(by: 2 * 60_000)
        let report = try await world.compact(retentionMillis: 30_000)
        try await reader.synced()

        // Then: the compaction dropped the superseded names, and the station holds the hub's view.
        #expect(report.droppedLogEntries >= 5)
        #expect(try reader.store.record(RecordKey(type: "member", id: "m1"))?.values["name"] == "名字5")
        let divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    @Test("a station that bootstraps after a compaction holds the hub's view")
    func snapshotAfterCompaction() async throws {
        // Given: a compacted hub holding a member renamed five times, and deleted then restored.
        let world = try await AgreementWorld()
        let writer = try await world.addStation("writer", at: "yc-t01")
        try await writer.synced()
        try await Self.nameChain("m1", count: 6, by: writer, world: world)
        try writer.station.delete(type: "member", id: "m1")
        try writer.station.restore(type: "member", id: "m1")
        try await writer.synced()
        world.truth.advance(by: 2 * 60_000)
        let report = try await world.compact(retentionMillis: 30_000)
        #expect(report.droppedLogEntries >= 6)

        // When: new stations at the township and at the county bootstrap.
        try await world.addStation("township", at: "yc-t01").synced()
        try await world.addStation("county", at: "yc").synced()

        // Then: every station agrees with the hub.
        let divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    /// How the station came to hold the first write of the chain.
    enum FirstWrite: String, CaseIterable, Sendable {
        /// It pulled it.
        case pulled
        /// It bootstrapped from a snapshot holding it.
        case snapshot
        /// It wrote it itself.
        case written
    }

    // Compaction keeps what the conflict rule needs: a station holding an intermediate write
    // of an lww chain whose later writes were compacted must still see it superseded.
    @Test("a station holding an early write of a field sees no conflict once later writes are compacted", arguments: FirstWrite.allCases)
    func intermediateWriteStaysSuperseded(_ first: FirstWrite) async throws {
        // Given: a station holding the first name of a member (v1) and nothing after it.
        let world = try await AgreementWorld()
        let holder = try await world.addStation("holder", at: "yc-t01")
        let writer = try await world.addStation("writer", at: "yc-t01")
        try await writer.synced()
        switch first {
        case .pulled:
            try await holder.synced()
            try await Self.nameChain("m1", count: 1, by: writer, world: world)
            try await holder.synced()
        case .snapshot:
            try await Self.nameChain("m1", count: 1, by: writer, world: world)
            try await holder.synced()
        case .written:
            try await holder.synced()
            try await Self.nameChain("m1", count: 1, by: holder, world: world)
            try await writer.synced()
        }
        #expect(try holder.store.record(RecordKey(type: "member", id: "m1"))?.values["name"] == "名字0")

        // When: the name is written twice more (v2 supersedes v1, v3 supersedes v2), the hub
        // compacts v1 and v2 away, and the station pulls.
        try await Self.nameChain("m1", count: 2, by: writer, world: world, first: 1)
        world.truth.advance(by: 2 * 60_000)
        let report = try await world.compact(retentionMillis: 30_000)
        #expect(report.droppedLogEntries >= 2)
        try await holder.synced()

        // Then: v1 is superseded at the station as at the hub: one winner, no conflict.
        #expect(try holder.store.record(RecordKey(type: "member", id: "m1"))?.values["name"] == "名字2")
        let conflicts = try holder.store.conflicts()
        #expect(conflicts.isEmpty, "\(conflicts)")
        let divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }
}
