package import SyncModel
package import GRDB

extension ReplicaStore {
    /// Refuses an existing file that is not a `kind` file of a format this program knows, or is
    /// damaged (``checkFormat(_:migrator:kind:path:verify:)`` with the integrity check),
    /// looking through a read-only connection so that nothing is written to a file refused. A
    /// file that cannot even be opened for reading is left to the opening that follows, which
    /// says why. (Also used by the hub's restore, on the backup it is to put in place.)
    package static func check(path: String, kind: StoreKind, migrations: (inout DatabaseMigrator) -> Void) throws(SyncError) {
        if let refusal = StoreFileIdentity.of(path).refusal(path: path, expected: kind) { throw refusal }
        var migrator = DatabaseMigrator()
        registerMigrations(&migrator)
        migrations(&migrator)
        let queue: DatabaseQueue
        do {
            queue = try ReadOnlyDatabase.open(path)
        } catch {
            let mapped = StoreError.map(error, path: path)
            if mapped.code == .storeInvalid { throw mapped }
            return
        }
        defer { try? queue.close() }
        do {
            try queue.read { db in try checkFormat(db, migrator: migrator, kind: kind, path: path, verify: true) }
        } catch {
            throw StoreError.map(error, path: path)
        }
    }

    /// Refuses, before anything is written, a database that is not a `kind` file this program
    /// can work on (SPEC §16): another kind or another program's database, a file written by a
    /// newer version (migrations this program does not know), and — with `verify` — a file
    /// whose pages are damaged.
    static func checkFormat(_ db: Database, migrator: DatabaseMigrator, kind: StoreKind, path: String, verify: Bool) throws {
        let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let applied = try migrator.appliedIdentifiers(db)
        let found: StoreFileIdentity
        if let stamped = StoreKind(applicationID: id) {
            found = .tributary(stamped)
        } else if id != 0 {
            found = .foreign("an SQLite database of another program (application id 0x\(String(UInt32(bitPattern: id), radix: 16)))")
        } else if let recognised = StoreKind(migrations: applied) {
            found = .tributary(recognised)
        } else if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 {
            found = .missing
        } else {
            found = .foreign("an SQLite database of another program")
        }
        if let refusal = found.refusal(path: path, expected: kind) { throw refusal }
        let unknown = applied.subtracting(migrator.migrations)
        if !unknown.isEmpty {
            throw SyncError(
                .storeInvalid,
                "\(path) was written by a newer version of Tributary (it has format steps this program does not know: \(unknown.sorted().joined(separator: ", "))): nothing was read or written; use `\(kind.program)` of that version or later")
        }
        if verify { try checkIntegrity(db, path: path) }
    }

    /// Refuses a file whose pages are damaged (`PRAGMA quick_check`: every page and record of
    /// every table and index is well formed), so that nothing is written into it: a write
    /// touches only a few pages and could otherwise succeed on a file that reads fail on.
    static func checkIntegrity(_ db: Database, path: String) throws {
        let problems = try String.fetchAll(db, sql: "PRAGMA quick_check(3)")
        guard problems != ["ok"] else { return }
        throw StoreError.damaged(path, detail: problems.first ?? "quick_check failed")
    }
}
