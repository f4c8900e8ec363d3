public import SyncModel
package import GRDB

extension ReplicaStore {
    /// Opens an existing replica for a command that only reads (`tributary status`, `get`,
    /// `list`; `tributary-hub report`, `station list`): through a read-only connection, so that
    /// reading writes nothing into the file — not even the WAL set-up of a pool — and works on a
    /// file or folder that may not be written (SPEC §16). Every write through it fails with
    /// `read_only`.
    ///
    /// The file is refused as ``open(path:schema:wallClock:busyTimeout:checkIntegrity:)``
    /// refuses it (another kind, empty, foreign, newer). A file whose migrations are not all
    /// applied (written by an older version) is opened for writing instead, which upgrades it.
    public static func openForReading(path: String, schema: Schema, wallClock: WallClock = .system, busyTimeout: Double = 5) throws(SyncError) -> ReplicaStore {
        try openForReading(path: path, schema: schema, wallClock: wallClock, busyTimeout: busyTimeout, migrations: { _ in })
    }

    /// ``openForReading(path:schema:wallClock:busyTimeout:)`` with extra migrations (the hub's).
    package static func openForReading(
        path: String, schema: Schema, wallClock: WallClock = .system, busyTimeout: Double = 5, kind: StoreKind = .station,
        migrations: (inout DatabaseMigrator) -> Void
    ) throws(SyncError) -> ReplicaStore {
        SQLiteProcess.configured
        let identity = StoreFileIdentity.of(path)
        if let refusal = identity.refusal(path: path, expected: kind) { throw refusal }
        var migrator = DatabaseMigrator()
        registerMigrations(&migrator)
        migrations(&migrator)
        var opened: (queue: DatabaseQueue, site: SiteID, held: Schema?)?
        do {
            let queue = try ReadOnlyDatabase.open(path)
            opened = try queue.read { db -> (DatabaseQueue, SiteID, Schema?)? in
                try checkFormat(db, migrator: migrator, kind: kind, path: path, verify: false)
                guard try migrator.hasCompletedMigrations(db), let site = try Meta.siteID.read(db).flatMap({ SiteID(hex: $0) }) else {
                    return nil
                }
                return (queue, site, try storedSchema(db))
            }
            if opened == nil { try queue.close() }
        } catch let error as SyncError {
            throw error
        } catch {
            let mapped = StoreError.map(error, path: path)
            guard StoreError.isDiskFault(mapped) || mapped.code == .busy else { throw mapped }
            opened = nil
        }
        guard let opened else {
            // An older format to upgrade first (or a file SQLite could not open read-only here):
            // the ordinary opening, with its checks, says what it can and cannot do.
            return try open(path: path, schema: schema, wallClock: wallClock, busyTimeout: busyTimeout, kind: kind, migrations: migrations)
        }
        return ReplicaStore(
            schema: newer(opened.held, than: schema), siteID: opened.site, wallClock: wallClock, writer: opened.queue, derivedTables: nil, path: path,
            unwritable: SyncError(.readOnly, "\(path) was opened for reading only; nothing was written"))
    }
}
