public import Foundation
import GRDB

/// Tampering with Tributary's SQLite files the way older versions, newer versions and broken
/// disks leave them (SPEC §16 "File kinds and format versions"), for tests.
public enum StoreFiles {
    /// The `application_id` in the file's header (bytes 68–71), as on disk.
    public static func applicationID(_ path: String) throws -> Int32 {
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(100)
        guard header.count == 100 else { return 0 }
        return header[68..<72].reduce(Int32(0)) { $0 << 8 | Int32($1) }
    }

    /// Clears the file's `application_id`, as files written before it was stamped have it.
    public static func clearApplicationID(_ path: String) throws {
        try withQueue(path) { db in try db.execute(sql: "PRAGMA application_id = 0") }
    }

    /// Records a migration this version does not know, as a newer version would have.
    public static func addMigration(_ identifier: String, to path: String) throws {
        try withQueue(path) { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier]) }
    }

    /// Overwrites `count` bytes from `offset` with seeded random bytes, as a failing disk or a
    /// stray `dd` would; the file keeps its size.
    public static func damage(_ path: String, offset: Int, count: Int, seed: UInt64 = 17) throws {
        var random = SeededRandom(seed: seed)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }))
    }

    /// Creates an SQLite database of another program (a table of its own, rollback journal).
    public static func createForeignDatabase(_ path: String) throws {
        try withQueue(path) { db in
            try db.execute(sql: "CREATE TABLE minutes (day TEXT, text TEXT)")
            try db.execute(sql: "INSERT INTO minutes VALUES ('2025-04-26', '统一活动日')")
        }
    }

    /// The file's size in bytes.
    public static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
    }

    /// The file's bytes (for checking that something was left untouched).
    public static func bytes(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
    }

    /// Runs `body` on the file with a plain connection (rollback journal as the file has it),
    /// then closes it, so that everything is in the main file afterwards.
    private static func withQueue(_ path: String, _ body: @escaping @Sendable (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try body(db)
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try queue.close()
    }
}
