import Foundation
import SyncModel
import SyncStore
import Testing
import TributaryTestSupport

@Suite("Replica store")
struct ReplicaStoreTests {
    let wall = WallClock.fixed(1_767_225_600_000)

    func edit(_ field: String, _ value: FieldValue, id: String = "n1", element: String? = nil, settles: Bool = false) -> LocalEdit {
        LocalEdit(key: FieldKey(type: "note", id: id, field: field, element: element), scope: "u1", value: value, settles: settles)
    }

    @Test("the site id and the clock survive a reopen, and the clock never goes back")
    func clockAcrossReopen() throws {
        // Given: a replica on disk that wrote with its wall clock at T.
        let dir = TemporaryDirectory()
        let path = dir.path("station.db")
        let first = try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
        let written = try first.writeLocal([edit("title", "a"), edit("count", 1)])
        // When: it is reopened with a wall clock an hour earlier.
        let again = try ReplicaStore.open(
            path: path, schema: TestSchemas.mixed, wallClock: .fixed(1_767_225_600_000 - 3_600_000))
        let next = try again.writeLocal([edit("title", "b")])
        // Then: same site, consecutive seq, and a clock past every earlier stamp.
        #expect(again.siteID == first.siteID)
        #expect(next[0].seq == 3)
        #expect(next[0].hlc > written.map(\.hlc).max()!)
        #expect(next[0].bases == [written[0].version])
    }

    @Test("local writes go to the log and the outbox; acknowledgement empties the outbox")
    func outbox() throws {
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        try store.writeLocal([edit("unit", "u1"), edit("title", "早会"), edit("tags", true, element: "x")])
        #expect(try store.outbox().map(\.seq) == [1, 2, 3])
        #expect(try store.outboxCount() == 3)
        try store.write { db in try store.acknowledge(upTo: 2, refusals: [], records: [], db) }
        #expect(try store.outbox().map(\.seq) == [3])
    }

    @Test("a change the hub refused is kept, shown, and the record takes the hub's state")
    func refusalTakesTheHubsState() throws {
        // Given: a station that overwrote a title.
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        let first = try store.writeLocal([edit("title", "first")])
        let second = try store.writeLocal([edit("title", "second")])
        // When: the hub refuses the overwrite and sends the record as it holds it.
        let refusal = Refusal(origin: second[0].origin, error: SyncError(.outOfScope, "not yours"))
        let hubState = SnapshotRecord(
            type: "note", id: "n1", scope: "u1",
            fields: [SnapshotField(field: "title", heads: [Head(version: first[0].version, value: "first")])])
        try store.write { db in try store.acknowledge(upTo: 2, refusals: [refusal], records: [hubState], db) }
        // Then: the hub's value shows, and the refused write is listed with its reason.
        #expect(try store.record(RecordKey(type: "note", id: "n1"))?.values["title"] == "first")
        let refused = try store.refusedChanges()
        #expect(refused.map(\.change.seq) == [2])
        #expect(refused.first?.state == .refused(SyncError(.outOfScope, "not yours")))
        #expect(try store.outboxCount() == 0)
    }

    @Test("a record installed from a snapshot keeps its state when a local write to it is refused")
    func refusalAfterSnapshotInstall() throws {
        // Given: a replica that holds a record only from a snapshot (no log entry of it), and
        // overwrites one of its fields.
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        let hubVersion = Version(hlc: HLC(millis: 1_767_225_000_000, counter: 0), site: SiteID(rawValue: 7))
        let hubState = SnapshotRecord(
            type: "note", id: "n1", scope: "u1",
            fields: [
                SnapshotField(field: "title", heads: [Head(version: hubVersion, value: "from the hub")]),
                SnapshotField(field: "count", heads: [Head(version: hubVersion, value: 3)]),
            ])
        try store.install([hubState])
        let before = try store.digest()
        let mine = try store.writeLocal([edit("title", "mine")])
        // When: the hub refuses the write and answers with its state of the record.
        let refusal = Refusal(origin: mine[0].origin, error: SyncError(.outOfScope, "not yours"))
        try store.write { db in try store.acknowledge(upTo: 1, refusals: [refusal], records: [hubState], db) }
        // Then: the replica holds exactly the hub's state again — not a state rebuilt from a
        // log that never held the snapshot's writes.
        #expect(try store.record(RecordKey(type: "note", id: "n1"))?.values["title"] == "from the hub")
        #expect(try store.digest() == before)
    }

    @Test("a record whose every write was refused is gone, and no longer counted")
    func refusedCreationLeavesNothing() throws {
        // Given: a station that created a record the hub will not hold.
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        let written = try store.writeLocal([edit("title", "new", id: "n9"), edit("count", 2, id: "n9")])
        #expect(try store.recordCounts()["note"] == 1)
        // When: the hub refuses both writes and holds no state of the record.
        let refusals = written.map { Refusal(origin: $0.origin, error: SyncError(.outOfScope, "not yours")) }
        try store.write { db in try store.acknowledge(upTo: 2, refusals: refusals, records: [], db) }
        // Then: the record is gone, row and all.
        #expect(try store.record(RecordKey(type: "note", id: "n9")) == nil)
        #expect(try store.recordCounts()["note"] == nil)
        #expect(try store.refusedChanges().count == 2)
    }

    @Test("a refusal keeps the replica's own later writes of the record that wait in the outbox")
    func refusalKeepsPendingWrites() throws {
        // Given: two writes of one record; the hub answers the first push (seq 1) only.
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        let first = try store.writeLocal([edit("title", "refused")])
        _ = try store.writeLocal([edit("count", 5)])
        // When: seq 1 is refused, the hub holding nothing of the record.
        let refusal = Refusal(origin: first[0].origin, error: SyncError(.clockSkew, "ahead"))
        try store.write { db in try store.acknowledge(upTo: 1, refusals: [refusal], records: [], db) }
        // Then: the write still waiting (seq 2) stays merged; the refused one does not.
        let record = try store.record(RecordKey(type: "note", id: "n1"))
        #expect(record?.values["count"] == 5)
        #expect(record?.values["title"] == nil)
        #expect(try store.outbox().map(\.seq) == [2])
    }

    @Test("a refusal of a write to a record that left the replica's scope does not bring it back")
    func refusalOfARemovedRecord() throws {
        // Given: a station that overwrote a title, and whose record then left its scope
        // (removed, as a pull does) before the hub's refusal of the overwrite arrived.
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        try store.writeLocal([edit("title", "first")])
        let second = try store.writeLocal([edit("title", "second")])
        try store.write { db in try store.removeRecord(RecordKey(type: "note", id: "n1"), db) }
        let removed = try store.digest()
        // When: the refusal arrives.
        let refusal = Refusal(origin: second[0].origin, error: SyncError(.outOfScope, "moved away"))
        try store.write { db in try store.acknowledge(upTo: 2, refusals: [refusal], records: [], db) }
        // Then: the record stays gone, and the refused write is listed.
        #expect(try store.record(RecordKey(type: "note", id: "n1")) == nil)
        #expect(try store.digest() == removed)
        #expect(try store.refusedChanges().map(\.change.seq) == [2])
    }

    @Test("a batch that fails leaves the store unchanged")
    func oneTransaction() throws {
        // Given: a store with one record.
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        try store.writeLocal([edit("title", "kept")])
        let before = try store.digest()
        let logBefore = try store.logCount()
        // When: a local write whose second edit is invalid is attempted.
        #expect(throws: SyncError.self) {
            try store.writeLocal([edit("title", "lost"), edit("count", "not a number")])
        }
        // Then: nothing of it is there.
        #expect(try store.digest() == before)
        #expect(try store.logCount() == logBefore)
        #expect(try store.outboxCount() == 1)
    }

    @Test("settling a conflict from the store clears it")
    func settle() throws {
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        let mine = try store.writeLocal([edit("title", "mine")])
        let theirs = Change(
            site: SiteID(rawValue: 99), seq: 1, hlc: HLC(millis: 1_767_225_600_000, counter: 9), type: "note", id: "n1",
            scope: "u1", field: "title", value: "theirs")
        _ = try store.apply([theirs], context: TestSchemas.lateWall)
        #expect(try store.conflicts().count == 1)
        let settled = try store.writeLocal([edit("title", "mine", settles: true)])
        #expect(Set(settled[0].bases) == Set([mine[0].version, theirs.version]))
        #expect(try store.conflicts().isEmpty)
    }

    @Test("listing filters by field values and hides deleted records")
    func listing() throws {
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        try store.writeLocal([edit("title", "a", id: "n1"), edit("title", "b", id: "n2"), edit("title", "a", id: "n3")])
        try store.writeLocal([edit("_deleted", true, id: "n3")])
        #expect(try store.records(ofType: "note", matching: ["title": "a"]).map(\.key.id) == ["n1"])
        #expect(try store.records(ofType: "note", includeDeleted: true).map(\.key.id) == ["n1", "n2", "n3"])
        #expect(try store.records(ofType: "note", limit: 1).map(\.key.id) == ["n1"])
    }

    @Test("two replicas with the same changes have the same digest")
    func digests() throws {
        let a = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        let written = try a.writeLocal([edit("title", "x"), edit("score", 2), edit("tags", true, element: "t")])
        let b = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: wall)
        _ = try b.apply(written.reversed(), context: TestSchemas.lateWall)
        #expect(try a.digest() == b.digest())
        #expect(try a.digest().count == 64)
        #expect(try a.history(of: RecordKey(type: "note", id: "n1")).count == 3)
    }

    @Test("a file that is not a replica is refused with a clear error")
    func notADatabase() throws {
        let dir = TemporaryDirectory()
        let path = dir.path("junk.db")
        try Data("this is not sqlite at all, not even close......................................................".utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(throws: SyncError.self) { try ReplicaStore.open(path: path, schema: TestSchemas.mixed) }
    }
}
