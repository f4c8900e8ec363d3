import Foundation
import GRDB
import Testing
import TributaryTestSupport

/// Where and how SQLite reports a full disk, which decides how a group commit answers
/// (SPEC §16): `SQLITE_FULL` inside a savepoint ends the whole transaction, not only the
/// savepoint; in WAL mode on a really full volume the failure comes at COMMIT. Either way no
/// push of the group can commit, and every one of them is answered `disk_full`.
@Suite("SQLite on a full disk")
struct SQLiteFullTests {
    static func blob(_ bytes: Int) -> Data { Data(repeating: 0x42, count: bytes) }

    @Test("SQLITE_FULL inside a savepoint rolls the whole transaction back, earlier savepoints included")
    func savepoint() throws {
        // Given a WAL file that may grow by 4 pages at most
        let directory = TemporaryDirectory("sqlite-full")
        let pool = try DatabasePool(path: directory.path("a.db"))
        try pool.write { db in try db.execute(sql: "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)") }
        try pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 4)")
        }
        // When one transaction runs a small savepoint, then small rows in savepoints of their own until one does not fit
        var insideAfterFailure = true
        var failure: DatabaseError?
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.inSavepoint { try db.execute(sql: "INSERT INTO t VALUES (1, ?)", arguments: [Self.blob(100)]); return .commit }
            do {
                for id in 2...2_000 {
                    try db.inSavepoint { try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [id, Self.blob(200)]); return .commit }
                }
            } catch let error as DatabaseError {
                failure = error
                insideAfterFailure = db.isInsideTransaction
            }
            if db.isInsideTransaction { try db.execute(sql: "COMMIT") }
        }
        // Then it failed with SQLITE_FULL, the transaction was gone at once, and nothing of it is in the file
        #expect(failure?.resultCode == .SQLITE_FULL)
        #expect(!insideAfterFailure)
        #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 0)
    }

    @Test(
        "on a full volume a WAL transaction fails at COMMIT, whole",
        .enabled(if: ScratchVolume.canMount, "needs to mount a tmpfs: \(ScratchVolume.unavailableReason ?? "")"))
    func commit() throws {
        // Given a WAL file on a 1 MB volume filled to the last byte
        let volume = try ScratchVolume(size: 1 << 20)
        let pool = try DatabasePool(path: volume.path("a.db"))
        try pool.write { db in try db.execute(sql: "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)") }
        volume.fill()
        // When one transaction inserts two rows in savepoints of their own
        var savepointsSucceeded = 0
        #expect {
            try pool.write { db in
                for id in 1...2 {
                    try db.inSavepoint { try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [id, Self.blob(64 << 10)]); return .commit }
                    savepointsSucceeded += 1
                }
            }
        } throws: { error in
            (error as? DatabaseError)?.resultCode == .SQLITE_FULL
        }
        // Then both savepoints succeeded in memory, the commit failed, and nothing is in the file
        #expect(savepointsSucceeded == 2)
        #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 0)
        // And once space is back the same transaction commits
        volume.free()
        try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (1, ?)", arguments: [Self.blob(64 << 10)]) }
        #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 1)
    }
}
