import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SyncModel
import SyncStore
import Testing
import TributaryTestSupport

/// Each file says what it is and which format it has (SPEC §16 "File kinds and format
/// versions"): a replica refuses, untouched, what is not a station replica of a format it knows.
@Suite("Replica file kinds and format versions")
struct ReplicaFileKindTests {
    let wall = WallClock.fixed(1_767_225_600_000)

    func note(_ index: Int) -> [LocalEdit] {
        let id = "n\(index)"
        return [
            LocalEdit(key: FieldKey(type: "note", id: id, field: "unit"), scope: "u1", value: "u1"),
            LocalEdit(key: FieldKey(type: "note", id: id, field: "title"), scope: "u1", value: .string("note \(index)")),
            LocalEdit(key: FieldKey(type: "note", id: id, field: "body"), scope: "u1", value: .string(String(repeating: "记录\(index) ", count: 40))),
        ]
    }

    /// A closed station replica at `path` with `notes` notes.
    func replica(at path: String, notes: Int = 3) throws {
        let store = try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
        for index in 0..<notes { try store.writeLocal(note(index)) }
    }

    func open(_ path: String) throws(SyncError) -> ReplicaStore {
        try ReplicaStore.open(path: path, schema: TestSchemas.mixed, wallClock: wall)
    }

    @Test("a new replica is stamped as a station replica; one written before the stamp is recognised and stamped on opening")
    func stamped() throws {
        // Given a new replica / Then its header says station ("TRBS")
        let directory = TemporaryDirectory("kind")
        let path = directory.path("station.db")
        try replica(at: path)
        #expect(try StoreFiles.applicationID(path) == StoreKind.station.applicationID)
        #expect(StoreFileIdentity.of(path) == .tributary(.station))

        // Given a replica as older versions wrote it (no application id)
        try StoreFiles.clearApplicationID(path)
        #expect(try StoreFiles.applicationID(path) == 0)
        // Then its migrations tell what it is
        #expect(StoreFileIdentity.of(path) == .tributary(.station))
        // When it is opened / Then it is stamped and reads as before
        do {
            let store = try open(path)
            #expect(try store.logCount() == 9)
        }
        #expect(try StoreFiles.applicationID(path) == StoreKind.station.applicationID)
    }

    @Test("a replica written by a newer version (a migration this program does not know) is refused, untouched")
    func newerFormat() throws {
        // Given a replica a newer version has migrated further
        let directory = TemporaryDirectory("kind")
        let path = directory.path("station.db")
        try replica(at: path)
        try StoreFiles.addMigration("replica-v9-from-the-future", to: path)
        let before = StoreFiles.bytes(path)

        // When it is opened / Then store_invalid says so, and not a byte changed
        let error = syncError { _ = try open(path) }
        #expect(error?.code == .storeInvalid)
        #expect(error?.message.contains("newer version") == true && error?.message.contains("replica-v9-from-the-future") == true, "\(String(describing: error))")
        #expect(StoreFiles.bytes(path) == before)
        #expect(StoreFiles.size(path + "-wal") <= 0, "a reader leaves at most an empty WAL")
    }

    @Test(
        "an empty file, a text file, another program's database, a directory or a pipe is refused and left as it was",
        arguments: ["empty", "text", "foreign", "directory", "pipe"])
    func notAReplica(_ what: String) throws {
        // Given something at the path that is not a replica
        let directory = TemporaryDirectory("kind")
        let path = directory.path("station.db")
        switch what {
        case "empty": FileManager.default.createFile(atPath: path, contents: Data())
        case "text": FileManager.default.createFile(atPath: path, contents: Data("会议记录\nminutes of the meeting\n".utf8))
        case "foreign": try StoreFiles.createForeignDatabase(path)
        case "directory": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        default: #expect(mkfifo(path, 0o600) == 0)
        }
        let before = StoreFiles.bytes(path)

        // When it is opened as a replica
        let error = syncError { _ = try open(path) }

        // Then store_invalid names it, and nothing was written to it or beside it
        #expect(error?.code == .storeInvalid, "\(String(describing: error))")
        #expect(error?.message.contains(path) == true && error?.message.contains("not a station replica") == true, "\(String(describing: error))")
        #expect(StoreFiles.bytes(path) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal") && !FileManager.default.fileExists(atPath: path + "-shm"))
    }

    @Test("a damaged replica is refused with store_invalid before anything is written to it")
    func damaged() throws {
        // Given a replica of ~200 notes, part of which random bytes then overwrite
        let directory = TemporaryDirectory("kind")
        let path = directory.path("station.db")
        try replica(at: path, notes: 200)
        let size = StoreFiles.size(path)
        #expect(size > 64 * 4096)
        try StoreFiles.damage(path, offset: size / 2, count: 3 * 4096)
        let before = StoreFiles.bytes(path)

        // When it is opened to be written / Then store_invalid says it is damaged and what to do
        let error = syncError { _ = try open(path) }
        #expect(error?.code == .storeInvalid)
        #expect(error?.message.contains("damaged") == true && error?.message.contains("backup") == true, "\(String(describing: error))")
        // And nothing was written to it
        #expect(StoreFiles.bytes(path) == before)
    }
}

/// The SyncError `body` throws, or `nil`.
func syncError(_ body: () throws -> Void) -> SyncError? {
    do {
        try body()
        return nil
    } catch {
        return error as? SyncError
    }
}
