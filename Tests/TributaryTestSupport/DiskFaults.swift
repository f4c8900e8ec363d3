import GRDB
public import SyncStore

/// Deterministic disk faults on a replica's writer connection (SPEC §16), for tests:
/// SQLite's own `SQLITE_FULL` and `SQLITE_READONLY`, raised where a real full disk or
/// read-only file would raise them.
extension ReplicaStore {
    /// Forbids the file to grow past its current number of pages (`PRAGMA max_page_count` on
    /// the writer connection, which a pool keeps for its lifetime): the next write that needs a
    /// new page fails with `SQLITE_FULL`, as on a full disk.
    public func capGrowth() throws {
        try writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
    }

    /// Lifts ``capGrowth()``: the space is back.
    public func uncapGrowth() throws {
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
    }

    /// Switches the writer connection to `PRAGMA query_only`: every write fails with
    /// `SQLITE_READONLY`, as on a read-only file.
    public func setQueryOnly(_ on: Bool) throws {
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = \(on ? 1 : 0)") }
    }
}
