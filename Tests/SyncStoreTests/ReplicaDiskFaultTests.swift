import Foundation
import SyncModel
import SyncStore
import Testing
import TributaryTestSupport

/// A station replica on a full disk or a read-only file (SPEC §16): a write that cannot be
/// kept fails whole with `disk_full` / `read_only`, and what was saved before stays.
@Suite("Disk faults on a replica")
struct ReplicaDiskFaultTests {
    let wall = WallClock.fixed(1_767_225_600_000)

    func note(_ id: String, _ index: Int) -> [LocalEdit] {
        // A long body so that every note needs pages of its own.
        [
            LocalEdit(key: FieldKey(type: "note", id: id, field: "unit"), scope: "u1", value: "u1"),
            LocalEdit(key: FieldKey(type: "note", id: id, field: "title"), scope: "u1", value: .string("note \(index)")),
            LocalEdit(key: FieldKey(type: "note", id: id, field: "body"), scope: "u1", value: .string(String(repeating: "记录\(index) ", count: 300))),
        ]
    }

    /// Writes `note(n<index>, index)` for each index in turn until a write fails, and
    /// returns how many were saved, the failure (nil if every one fitted), and the store's
    /// digest, log count and outbox count just before the last write tried.
    private func writeUntilFailure(_ store: ReplicaStore, indices: Range<Int>) throws
        -> (saved: Int, failure: SyncError?, before: (digest: String, log: Int, outbox: Int))
    {
        var saved = 0
        var before = (digest: "", log: 0, outbox: 0)
        for index in indices {
            before = (try store.digest(), try store.logCount(), try store.outboxCount())
            do {
                try store.writeLocal(note("n\(index)", index))
                saved += 1
            } catch {
                return (saved, error, before)
            }
        }
        return (saved, nil, before)
    }

    @Test("a write on a full disk fails with disk_full, keeps nothing of itself and everything before")
    func fullDiskWrite() throws {
        // Given a replica with 20 notes saved, whose file may not grow any more
        // (`max_page_count` on the writer: SQLite's own SQLITE_FULL, deterministically)
        let directory = TemporaryDirectory("disk")
        let path = directory.path("station.db")
        let store = try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
        for index in 0..<20 { try store.writeLocal(note("n\(index)", index)) }
        try store.capGrowth()

        // When notes keep being written until one does not fit
        let (more, failure, before) = try writeUntilFailure(store, indices: 20..<220)
        let saved = 20 + more

        // Then the failing write says disk_full with the file and what to do
        let error = try #require(failure, "200 notes fitted in a capped file")
        print("disk: capped replica took \(saved - 20) more notes in free page space, then disk_full")
        #expect(error.code == .diskFull)
        #expect(error.message.contains(path) && error.message.contains("free some space"))
        // And it left nothing behind: same digest, log and outbox as before it
        #expect(try store.digest() == before.digest)
        #expect(try store.logCount() == before.log && store.outboxCount() == before.outbox)
        #expect(try store.record(RecordKey(type: "note", id: "n\(saved)")) == nil)

        // And once there is room again the same write succeeds, without reopening
        try store.uncapGrowth()
        try store.writeLocal(note("n\(saved)", saved))
        // And after a reopen every saved note is there, once
        let reopened = try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
        #expect(try reopened.records(ofType: "note").count == saved + 1)
        #expect(try reopened.logCount() == before.log + 3)
        #expect(try reopened.outboxCount() == (saved + 1) * 3)
    }

    @Test("a replica that may not be written (query_only) refuses writes with read_only and still reads")
    func queryOnly() throws {
        // Given a replica with one note, switched to read-only on its writer
        let directory = TemporaryDirectory("disk")
        let path = directory.path("station.db")
        let store = try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
        try store.writeLocal(note("n1", 1))
        let digest = try store.digest()
        try store.setQueryOnly(true)

        // When a note is written / Then read_only with a sentence naming the file
        #expect {
            try store.writeLocal(note("n2", 2))
        } throws: { error in
            let error = error as? SyncError
            return error?.code == .readOnly && error?.message.contains(path) == true
        }
        // And reads still work, on the unchanged replica
        #expect(try store.digest() == digest)
        #expect(try store.record(RecordKey(type: "note", id: "n1"))?.values["title"] == .string("note 1"))

        // And writes work again once it may be written
        try store.setQueryOnly(false)
        try store.writeLocal(note("n2", 2))
        #expect(try store.records(ofType: "note").count == 2)
    }

    @Test(
        "a replica on a read-only mount opens for reading; writes fail with read_only",
        .enabled(if: ScratchVolume.canMount, "needs to mount a tmpfs: \(ScratchVolume.unavailableReason ?? "")"))
    func readOnlyMount() throws {
        // Given a replica with two notes on a small volume, closed, and the volume remounted read-only
        let volume = try ScratchVolume(size: 4 << 20)
        let path = volume.path("station.db")
        let digest: String
        do {
            let store = try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
            try store.writeLocal(note("n1", 1))
            try store.writeLocal(note("n2", 2))
            digest = try store.digest()
        }
        try volume.remountReadOnly()

        // When it is opened / Then it reads as before
        let store = try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
        #expect(try store.digest() == digest)
        #expect(try store.records(ofType: "note").count == 2)
        // And a write fails with read_only, naming the file
        #expect {
            try store.writeLocal(note("n3", 3))
        } throws: { error in
            let error = error as? SyncError
            return error?.code == .readOnly && error?.message.contains(path) == true
        }
    }

    @Test(
        "a replica on a tmpfs that fills up: the write that does not fit fails whole, the earlier ones stay",
        .enabled(if: ScratchVolume.canMount, "needs to mount a tmpfs: \(ScratchVolume.unavailableReason ?? "")"))
    func fullVolume() throws {
        // Given a replica on a 2 MB volume with 10 notes, and the volume then filled to the last byte
        let volume = try ScratchVolume(size: 2 << 20)
        let path = volume.path("station.db")
        let store = try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
        for index in 0..<10 { try store.writeLocal(note("n\(index)", index)) }
        volume.fill()

        // When notes keep being written (the WAL may still take a few) until one does not fit
        let (more, failure, before) = try writeUntilFailure(store, indices: 10..<2_000)
        let saved = 10 + more
        // Then it fails with disk_full and leaves the replica as it was
        let error = try #require(failure, "2,000 notes fitted on a full 2 MB volume")
        print("disk: full 2 MB tmpfs replica took \(saved - 10) more notes, then disk_full")
        #expect(error.code == .diskFull, "\(error)")
        #expect(try store.digest() == before.digest && store.logCount() == before.log)

        // And once space is back the same write succeeds, and a reopen finds every saved note
        volume.free()
        try store.writeLocal(note("n\(saved)", saved))
        let reopened = try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
        #expect(try reopened.records(ofType: "note").count == saved + 1)
    }
}
