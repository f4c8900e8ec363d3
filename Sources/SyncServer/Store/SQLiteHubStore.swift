public import SyncModel
public import SyncStore
import Foundation
import GRDB

/// The hub's store in one SQLite file (WAL, one writer): a ``ReplicaStore`` opened with the
/// hub's extra tables (`stations`, `org_units`, `site_seq`, `moves`, `hub_refusals`).
///
/// The replica's log position (`log.pos`) is the global pull cursor. Writes go through
/// GRDB's serial writer; pushes that arrive together share a transaction (``GroupCommit``).
public struct SQLiteHubStore: HubStore {
    /// The hub's replica.
    public let replica: ReplicaStore
    /// Pushes waiting for the next group transaction.
    let pushes: GroupCommit<PushResponse>
    /// The disk fault of the last failed write, for `/healthz`.
    let health = WriteHealth()

    public var schema: Schema { replica.schema }
    public var siteID: SiteID { replica.siteID }

    /// Opens (creating and migrating if needed) the hub file at `path`. Anything but a hub file
    /// of a format this program knows — a station replica, an empty or foreign file, a file
    /// written by a newer version, a damaged one — is refused with `store_invalid`, untouched.
    /// With `readOnly` (commands that only read: reports, `station list`) nothing is written to
    /// the file and it reads even where it may not be written; every write fails `read_only`.
    public static func open(
        path: String, schema: Schema, wallClock: WallClock = .system, readOnly: Bool = false
    ) throws(SyncError) -> SQLiteHubStore {
        let store = SQLiteHubStore(
            replica: readOnly
                ? try ReplicaStore.openForReading(path: path, schema: schema, wallClock: wallClock, kind: .hub, migrations: HubMigrations.register)
                : try ReplicaStore.open(path: path, schema: schema, wallClock: wallClock, kind: .hub, migrations: HubMigrations.register))
        try store.loadSchemas(seeding: readOnly || store.replica.unwritable != nil ? nil : schema)
        return store
    }

    /// Opens the hub file at `path` like ``open(path:schema:wallClock:readOnly:)``; with no
    /// `schema`, the file must hold one already (it goes by the newest it holds), else
    /// `store_invalid` saying so.
    public static func open(
        path: String, schema: Schema?, wallClock: WallClock = .system, readOnly: Bool = false
    ) throws(SyncError) -> SQLiteHubStore {
        if let schema { return try open(path: path, schema: schema, wallClock: wallClock, readOnly: readOnly) }
        guard FileManager.default.fileExists(atPath: path) else {
            throw SyncError(.notFound, "no hub database at \(path), and no schema to start a new one with: give the hub's configuration a schema")
        }
        let store = try open(path: path, schema: Self.unnamed, wallClock: wallClock, readOnly: true)
        guard store.schema != Self.unnamed else {
            throw SyncError(
                .storeInvalid,
                "the hub file \(path) holds no schema and none was given: create the hub with tributary-hub init (or give the hub's configuration a schema)")
        }
        return readOnly ? store : try open(path: path, schema: store.schema, wallClock: wallClock)
    }

    /// What a hub is opened with before it reads its own schema.
    static let unnamed = try! Schema(name: "unnamed", version: 1, types: [:])

    /// Creates a hub store in memory (tests and tools).
    public static func inMemory(schema: Schema, wallClock: WallClock = .system) throws(SyncError) -> SQLiteHubStore {
        let store = SQLiteHubStore(replica: try ReplicaStore.inMemory(schema: schema, wallClock: wallClock, kind: .hub, migrations: HubMigrations.register))
        try store.loadSchemas(seeding: schema)
        return store
    }

    init(replica: ReplicaStore) {
        var replica = replica
        replica.derivedTables = ReportFacts.Refresher()
        self.replica = replica
        let (path, unwritable, health) = (replica.path, replica.unwritable, health)
        pushes = GroupCommit(writer: replica.writer, maxGroupSize: Self.maxGroupChanges) {
            let error = Self.mapDatabaseError($0, path: path, unwritable: unwritable)
            health.failed(error)
            return error
        }
    }

    /// The most changes one group transaction takes: four 5k pushes, about a quarter of a
    /// second of work, so that a push waits for at most one such group before its own.
    static let maxGroupChanges = 20_000

    /// The wall clock, in milliseconds.
    var now: UInt64 { replica.wallClock.nowMillis() }

    /// Runs a write transaction on GRDB's writer without blocking the caller's thread.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            let result = try await replica.writer.write(body)
            health.succeeded()
            return result
        } catch {
            let mapped = Self.mapDatabaseError(error, path: replica.path, unwritable: replica.unwritable)
            health.failed(mapped)
            throw mapped
        }
    }

    /// A database failure as the error a client sees: busy → `unavailable` (503), a full
    /// disk → `disk_full` (507), a read-only file or volume → `read_only` (503), each saying
    /// that nothing of the request was kept (SPEC §16); other errors pass unchanged (500).
    /// The sentences name no server path: they go to stations as well as to `tributary-hub`.
    /// A hub opened for reading only (``ReplicaStore/unwritable``) reports why it was.
    static func mapDatabaseError(_ error: any Error, path: String, unwritable: SyncError? = nil) -> any Error {
        guard let database = error as? DatabaseError else { return error }
        if database.resultCode == .SQLITE_BUSY || database.resultCode == .SQLITE_LOCKED {
            return SyncError(.unavailable, "the hub database is busy; retry in a moment")
        }
        var code = StoreError.map(database, path: path).code
        if code == .readOnly, let unwritable { code = unwritable.code }
        return code == .diskFull || code == .readOnly ? fault(code) : error
    }

    /// The hub's sentence for a disk fault (`disk_full` or `read_only`), naming no path.
    static func fault(_ code: SyncErrorCode) -> SyncError {
        if code == .diskFull {
            return SyncError(
                .diskFull,
                "the hub's disk is full: nothing of this request was kept or acknowledged; stations keep their changes and send them again later — the hub's operator must free space on the volume holding the hub database")
        }
        return SyncError(
            .readOnly,
            "the hub database cannot be written (its file or volume is read-only): nothing of this request was kept; reads still work — the hub's operator must make it writable again")
    }

    /// Runs a read transaction on a consistent snapshot of the database.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await replica.writer.read(body)
        } catch {
            // A busy or failing file answers 503 / 507 like a write would, never a 500.
            throw Self.mapDatabaseError(error, path: replica.path, unwritable: replica.unwritable)
        }
    }

    /// The highest hub log position, 0 when empty.
    static func lastPosition(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'log'")
            ?? Int64.fetchOne(db, sql: "SELECT max(pos) FROM log") ?? 0
    }

    public func dump() async throws -> [UInt8] {
        try replica.dump()
    }
}
