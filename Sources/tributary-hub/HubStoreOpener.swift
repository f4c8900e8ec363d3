import CountyWork
import Foundation
import SyncModel
import SyncServer

/// Opens the hub's store with the default schema: an SQLite file, or a PostgreSQL database
/// when --db is a `postgres://` URL (SPEC §10 "Storage"). Only the commands that create a hub
/// (`init`, `org import`, `restore`) may create an SQLite file; every other command run where
/// there is no hub says so instead of leaving an empty `hub.db` behind.
enum HubStoreOpener {
    /// Opens it for a command that writes: an SQLite file's pages are checked first (SPEC §16).
    static func open(_ options: HubOptions, create: Bool = false) async throws -> any HubStore {
        try await open(location: options.path, readOnly: false, create: create)
    }

    /// Opens it for a command that only reads: nothing is written to an SQLite file.
    static func openForReading(_ options: HubOptions) async throws -> any HubStore {
        try await open(location: options.path, readOnly: true, create: false)
    }

    /// Opens the store `location` names. A PostgreSQL store's connection pool runs until the
    /// process ends (one-shot commands) or is closed (`serve`).
    static func open(location: String, readOnly: Bool, create: Bool) async throws -> any HubStore {
        let schema = try CountyWorkSchema.load()
        switch try HubDatabase(location) {
        case .sqlite(let path):
            if !create { try requireExisting(path) }
            return try SQLiteHubStore.open(path: path, schema: schema, readOnly: readOnly)
        case .postgres(let postgres):
            return try await PostgresHubStore.open(postgres, schema: schema)
        }
    }

    /// Throws `not_found` when `location` is an SQLite path with no hub file there.
    static func requireExisting(_ location: String) throws {
        guard case .sqlite(let path) = try HubDatabase(location) else { return }
        guard FileManager.default.fileExists(atPath: path) else {
            throw SyncError(.notFound, "no hub database at \(path); create one with tributary-hub init or org import")
        }
    }
}
