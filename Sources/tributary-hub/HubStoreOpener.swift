import CountyWork
import SyncModel
import SyncServer

/// Opens the hub's store with the default schema: an SQLite file, or a PostgreSQL database
/// when --db is a `postgres://` URL (SPEC §10 "Storage").
enum HubStoreOpener {
    /// Opens it for a command that writes: an SQLite file's pages are checked first (SPEC §16).
    static func open(_ options: HubOptions) async throws -> any HubStore {
        try await open(location: options.path, readOnly: false)
    }

    /// Opens it for a command that only reads: nothing is written to an SQLite file.
    static func openForReading(_ options: HubOptions) async throws -> any HubStore {
        try await open(location: options.path, readOnly: true)
    }

    /// Opens the store `location` names. A PostgreSQL store's connection pool runs until the
    /// process ends (one-shot commands) or is closed (`serve`).
    static func open(location: String, readOnly: Bool) async throws -> any HubStore {
        let schema = try CountyWorkSchema.load()
        switch try HubDatabase(location) {
        case .sqlite(let path): return try SQLiteHubStore.open(path: path, schema: schema, readOnly: readOnly)
        case .postgres(let postgres): return try await PostgresHubStore.open(postgres, schema: schema)
        }
    }
}
