import CountyWork
import SyncModel
import SyncServer

/// Opens the hub file with the default schema.
enum HubStoreOpener {
    static func open(_ options: HubOptions) throws -> SQLiteHubStore {
        let schema = try CountyWorkSchema.load()
        return try SQLiteHubStore.open(path: options.path, schema: schema)
    }
}
