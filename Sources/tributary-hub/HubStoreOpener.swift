import CountyWork
import SyncModel
import SyncServer

/// Opens the hub file with the default schema.
enum HubStoreOpener {
    /// Opens it for a command that writes: its pages are checked first (SPEC §16).
    static func open(_ options: HubOptions) throws -> SQLiteHubStore {
        let schema = try CountyWorkSchema.load()
        return try SQLiteHubStore.open(path: options.path, schema: schema)
    }

    /// Opens it for a command that only reads: nothing is written to the file.
    static func openForReading(_ options: HubOptions) throws -> SQLiteHubStore {
        try SQLiteHubStore.open(path: options.path, schema: try CountyWorkSchema.load(), readOnly: true)
    }
}
