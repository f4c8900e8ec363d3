import Foundation
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// Several hub processes on one PostgreSQL database: the pull cursor stays commit-ordered
/// (SPEC §10 "Storage"), and concurrent pushes of one record from two connections merge as
/// one writer would.
@Suite(.enabled(if: PostgresTestServer.shouldRun, "needs PostgreSQL: \(PostgresTestServer.unavailableReason ?? "")"))
struct PostgresCursorTests {
    /// Pulls everything after `cursor` into `replica` as `station`; returns the new cursor.
    static func pullAll(_ hub: HubFixture, _ station: String, into replica: ReplicaStore, from cursor: Int64) async throws -> Int64 {
        var cursor = cursor
        while true {
            let page = try await hub.inProcess(station).pull(cursor: cursor, limit: 1_000)
            _ = try SyncEngine.apply(page, to: replica)
            cursor = page.cursor
            if !page.more { return cursor }
        }
    }

    @Test func aPullNeverSkipsAChangeThatCommitsAfterALaterOne() async throws {
        // Given a PostgreSQL hub, two stations with changes of their own, and a county
        // station pulling; the first push is held open after it merged, before it commits
        let hub = try await HubFixture(.postgres)
        let first = try hub.replica("t1"), second = try hub.replica("t2"), county = try hub.replica("county")
        try first.writeLocal(memberEdits("m-early", unit: "yc-t01"))
        try second.writeLocal(memberEdits("m-late", unit: "yc-t02"))
        let (merged, mergedContinuation) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        let held = HeldOnce()
        hub.postgres.hooks.beforePublish = {
            guard held.take() else { return }
            mergedContinuation.yield()
            for await _ in release { break }
        }
        let firstPush = Task { try await hub.inProcess("t1").push(PushRequest(changes: try first.outbox())) }
        for await _ in merged { break }

        // When the second push starts after the first and commits while the first is open,
        // the county pulls, and then the first commits
        _ = try await hub.inProcess("t2").push(PushRequest(changes: try second.outbox()))
        var cursor = try await Self.pullAll(hub, "county", into: county, from: 0)
        #expect(try county.record(RecordKey(type: "member", id: "m-late")) != nil)
        releaseContinuation.yield()
        let answer = try await firstPush.value
        #expect(answer.applied == 3)
        cursor = try await Self.pullAll(hub, "county", into: county, from: cursor)

        // Then the county holds both stations' members: the early push's positions come after
        // the cursor the county already held (they were numbered when it committed)
        #expect(try county.record(RecordKey(type: "member", id: "m-early")) != nil)
        #expect(try county.digest() == (try await hub.inProcess("county").scopeDigest()).digest)
        #expect(cursor == (try await hub.lastPosition()))
    }

    @Test func concurrentPushesOfOneRecordFromTwoConnectionsMergeAsOne() async throws {
        // Given two stations that both edit the same member, and two stores (two hub processes'
        // connection pools) on one database
        let hub = try await HubFixture(.postgres)
        let other = try await hub.reopened(wallClock: .fixed(HubFixture.wallMillis))
        let seedStation = try hub.replica("county")
        try seedStation.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        _ = try await hub.inProcess("county").push(PushRequest(changes: try seedStation.outbox()))
        let a = try hub.replica("t1"), b = try hub.replica("county2")
        for station in [("t1", a), ("county2", b)] {
            _ = try await Self.pullAll(hub, station.0, into: station.1, from: 0)
        }
        for round in 0..<20 {
            try a.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-1", field: "name"), scope: "yc-t01-c01", value: .string("A\(round)"))])
            try b.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-1", field: "name"), scope: "yc-t01-c01", value: .string("B\(round)"))])
        }
        let logged = try await hub.logCount()
        // When both push at once, through different stores, in several batches
        let context = ValidationContext(wallMillis: HubFixture.wallMillis, maxDriftMillis: hub.configuration.maxDriftMillis)
        async let pushedA: Void = {
            let station = try await hub.store.authenticate(token: hub.tokens["t1"]!)
            for batch in try a.outbox().chunked(5) { _ = try await hub.store.push(batch, from: station, context: context) }
        }()
        async let pushedB: Void = {
            let station = try await other.authenticate(token: hub.tokens["county2"]!)
            for batch in try b.outbox().chunked(5) { _ = try await other.push(batch, from: station, context: context) }
        }()
        _ = try await (pushedA, pushedB)

        // Then the hub holds the same state as a single replica that applied all the changes
        let reference = try hub.replica("reference")
        for station in [seedStation, a, b] { _ = try reference.apply(try station.changes(after: 0, limit: 1_000).map(\.change)) }
        let hubRecord = try await hub.record(RecordKey(type: "member", id: "m-1"))
        #expect(hubRecord == (try reference.record(RecordKey(type: "member", id: "m-1"))))
        #expect(try await hub.logCount() == logged + 40)
    }
}

/// True the first time only.
final class HeldOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = false

    func take() -> Bool {
        lock.withLock {
            defer { taken = true }
            return !taken
        }
    }
}

extension Array {
    /// The array in consecutive pieces of at most `size`.
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
