public import SyncModel
import Foundation
package import GRDB

/// A replica in SQLite: records with per-field merge state, the append-only change log,
/// conflicts, cursors and the outbox. Station and hub both keep one.
///
/// Every public write is one transaction that keeps the replica's invariants: a change is in
/// the log if and only if it is merged into the records, and a local write, its log entry
/// and its place in the outbox commit together.
public struct ReplicaStore: Sendable {
    /// The schema every change is checked against: the one the replica last took (from its
    /// hub, SPEC §9), else the one it was opened with. Every copy of this value sees a schema
    /// the replica takes (``adopt(_:_:)``).
    public var schema: Schema { schemaBox.schema }
    /// Holds the schema, shared by every copy of the store.
    let schemaBox: SchemaBox
    /// This replica's own site id, drawn once when the file was created.
    public let siteID: SiteID
    /// The wall clock used for the clock guard and for stamping local writes.
    public let wallClock: WallClock
    /// The database; `package` so that the hub can add its own tables to the same file.
    package let writer: any DatabaseWriter
    /// Tables derived from the records that every write keeps in step (the hub's report
    /// facts); `nil` on a station.
    package var derivedTables: (any DerivedTables)?
    /// The file's path as given (for messages), or `:memory:`.
    package let path: String
    /// Why this replica was opened for reading only (its disk was full, or it is read-only),
    /// or `nil` when it can be written. Every write then fails with this error (SPEC §16).
    package var unwritable: SyncError? = nil

    init(
        schema: Schema, siteID: SiteID, wallClock: WallClock, writer: any DatabaseWriter, derivedTables: (any DerivedTables)?,
        path: String, unwritable: SyncError? = nil
    ) {
        self.schemaBox = SchemaBox(schema)
        self.siteID = siteID
        self.wallClock = wallClock
        self.writer = writer
        self.derivedTables = derivedTables
        self.path = path
        self.unwritable = unwritable
    }

    /// Opens the replica at `path`, creating it (and its site id) if the file does not exist.
    ///
    /// - Parameters:
    ///   - busyTimeout: how long to wait for another process holding the write lock before
    ///     failing with ``SyncErrorCode/busy``.
    ///   - migrations: further migrations (the hub's tables) registered after the replica's.
    ///
    /// An existing file is checked before anything is written to it (SPEC §16): another kind,
    /// an empty or foreign file, a newer format or damaged pages (`PRAGMA quick_check`) are
    /// refused with `store_invalid`. ``openForReading(path:schema:wallClock:busyTimeout:)``
    /// opens one for reading only.
    public static func open(
        path: String, schema: Schema, wallClock: WallClock = .system, busyTimeout: Double = 5
    ) throws(SyncError) -> ReplicaStore {
        try open(path: path, schema: schema, wallClock: wallClock, busyTimeout: busyTimeout, migrations: { _ in })
    }

    /// Opens the replica at `path` with extra migrations (used by the hub).
    ///
    /// The file is looked at before it is opened (``StoreFileIdentity``): a file of another
    /// kind, an empty or non-SQLite file, a device or a directory is refused with
    /// `store_invalid` and left as it was; so is a file written by a newer version (it holds
    /// migrations this program does not know) and one found damaged. A file written before
    /// files were stamped with their kind is recognised by its migrations and stamped.
    package static func open(
        path: String, schema: Schema, wallClock: WallClock = .system, busyTimeout: Double = 5, kind: StoreKind = .station,
        migrations: (inout DatabaseMigrator) -> Void
    ) throws(SyncError) -> ReplicaStore {
        SQLiteProcess.configured
        let created = !FileManager.default.fileExists(atPath: path)
        let identity = StoreFileIdentity.of(path)
        if let refusal = identity.refusal(path: path, expected: kind) { throw refusal }
        if identity != .missing {
            // Checked on a read-only connection first: opening a pool already writes (GRDB
            // switches the file to WAL and makes its WAL non-empty).
            try check(path: path, kind: kind, migrations: migrations)
        }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.prepareDatabase { db in
                // The merge touches fields and records all over their b-trees; 32 MB of page
                // cache for the writer (the default is 2 MB) keeps a county's hot pages in
                // memory. Readers keep the default: a pool has several and they scan.
                if !db.configuration.readonly {
                    try db.execute(sql: "PRAGMA cache_size = -32768")
                }
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            // FULL: a committed transaction is on disk before the commit returns, so a local
            // write the clerk saw saved, or a push the hub acknowledged, survives a power cut,
            // not only a crash (NORMAL in WAL mode keeps the last commits in the OS cache).
            // It costs one fsync per transaction (~6 ms here); bulk work — imports, pull
            // pages, the hub's grouped pushes — shares it. See SPEC §10. Set on the writer
            // after GRDB's WAL set-up, which sets NORMAL.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            // SQLite creates the -wal and -shm with the main file's mode, now and later.
            if created { PrivateFiles.restrict(database: path) }
            return try make(writer: pool, schema: schema, wallClock: wallClock, kind: kind, migrations: migrations)
        } catch let error as SyncError {
            throw error
        } catch {
            let mapped = StoreError.map(error, path: path)
            // A file that cannot be written can still be read (`tributary status`, `get`, a hub
            // serving pulls): writes then fail with `read_only` or `disk_full` (SPEC §16).
            if StoreError.isDiskFault(mapped), identity != .missing {
                return try openReadOnly(path: path, schema: schema, wallClock: wallClock, kind: kind, migrations: migrations, reason: mapped)
            }
            throw mapped
        }
    }

    /// Opens an existing replica that cannot be written, for reading: every write fails with
    /// `reason` (``ReadOnlyDatabase`` says how a file that cannot be written is read).
    private static func openReadOnly(
        path: String, schema: Schema, wallClock: WallClock, kind: StoreKind, migrations: (inout DatabaseMigrator) -> Void,
        reason: SyncError
    ) throws(SyncError) -> ReplicaStore {
        do {
            let queue = try ReadOnlyDatabase.open(path)
            var migrator = DatabaseMigrator()
            registerMigrations(&migrator)
            migrations(&migrator)
            let (current, site) = try queue.read { db in
                try checkFormat(db, migrator: migrator, kind: kind, path: path, verify: false)
                return (try migrator.hasCompletedMigrations(db), try Meta.siteID.read(db).flatMap { SiteID(hex: $0) })
            }
            guard current, let site else {
                throw SyncError(
                    reason.code,
                    "\(reason.message) (this version must also upgrade the file before it can even be read)")
            }
            let held = try queue.read { db in try Self.storedSchema(db) }
            return ReplicaStore(
                schema: Self.newer(held, than: schema), siteID: site, wallClock: wallClock, writer: queue, derivedTables: nil, path: path,
                unwritable: reason)
        } catch let error as SyncError {
            throw error
        } catch {
            let mapped = StoreError.map(error, path: path)
            throw StoreError.isDiskFault(mapped) ? reason : mapped
        }
    }

    /// Creates a replica that lives in memory only (for tests and tools).
    public static func inMemory(schema: Schema, wallClock: WallClock = .system) throws(SyncError) -> ReplicaStore {
        try inMemory(schema: schema, wallClock: wallClock, migrations: { _ in })
    }

    /// Creates an in-memory replica with extra migrations.
    package static func inMemory(
        schema: Schema, wallClock: WallClock = .system, kind: StoreKind = .station, migrations: (inout DatabaseMigrator) -> Void
    ) throws(SyncError) -> ReplicaStore {
        SQLiteProcess.configured
        do {
            return try make(writer: DatabaseQueue(), schema: schema, wallClock: wallClock, kind: kind, migrations: migrations)
        } catch let error as SyncError {
            throw error
        } catch {
            throw StoreError.map(error, path: ":memory:")
        }
    }

    private static func make(
        writer: any DatabaseWriter, schema: Schema, wallClock: WallClock, kind: StoreKind = .station,
        migrations: (inout DatabaseMigrator) -> Void
    ) throws -> ReplicaStore {
        var migrator = DatabaseMigrator()
        registerMigrations(&migrator)
        migrations(&migrator)
        let path = writer.path
        try writer.read { db in try checkFormat(db, migrator: migrator, kind: kind, path: path, verify: false) }
        try migrator.migrate(writer)
        let (siteID, held) = try writer.write { db -> (SiteID, Schema?) in
            // The file says what it is (SPEC §16); files made before this are stamped now.
            if try Int32.fetchOne(db, sql: "PRAGMA application_id") != kind.applicationID {
                try db.execute(sql: "PRAGMA application_id = \(kind.applicationID)")
            }
            let held = try storedSchema(db)
            if let site = try Meta.siteID.read(db).flatMap({ SiteID(hex: $0) }) {
                return (site, held)
            }
            let site = SiteID.random()
            try Meta.siteID.write(site.hex, db)
            return (site, held)
        }
        return ReplicaStore(
            schema: newer(held, than: schema), siteID: siteID, wallClock: wallClock, writer: writer, derivedTables: nil, path: writer.path)
    }

    /// Runs `body` in one write transaction, mapping database failures to ``SyncError``.
    package func write<T>(_ body: (Database) throws -> T) throws(SyncError) -> T {
        do {
            return try writer.write(body)
        } catch let error as SyncError {
            throw error
        } catch {
            throw mapWriteError(error)
        }
    }

    /// A failed write's error: on a replica opened for reading only, the reason it was.
    package func mapWriteError(_ error: any Error) -> SyncError {
        let mapped = StoreError.map(error, path: path)
        if mapped.code == .readOnly, let unwritable { return unwritable }
        return mapped
    }

    /// Runs `body` in one write transaction on the database's own writer, without blocking
    /// the caller's thread while it waits or works (for async callers such as the sync
    /// engine, which may run inside a host's service group).
    package func asyncWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(SyncError) -> T {
        do {
            return try await writer.write(body)
        } catch let error as SyncError {
            throw error
        } catch {
            throw mapWriteError(error)
        }
    }

    /// Runs `body` with a consistent read-only view, mapping database failures.
    package func read<T>(_ body: (Database) throws -> T) throws(SyncError) -> T {
        do {
            return try writer.read(body)
        } catch let error as SyncError {
            throw error
        } catch {
            throw StoreError.map(error, path: path)
        }
    }
}
