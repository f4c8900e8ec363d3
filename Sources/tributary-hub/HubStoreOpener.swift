import CountyWork
import Foundation
import SyncModel
import SyncServer

/// Opens the hub file with the default schema. Only the commands that create a hub
/// (`init`, `org import`, `restore`) may create the file; every other command run where there
/// is no hub says so instead of leaving an empty `hub.db` behind.
enum HubStoreOpener {
    /// Opens it for a command that writes: its pages are checked first (SPEC §16).
    static func open(_ options: HubOptions, create: Bool = false) throws -> SQLiteHubStore {
        if !create { try requireExisting(options.path) }
        let schema = try CountyWorkSchema.load()
        return try SQLiteHubStore.open(path: options.path, schema: schema)
    }

    /// Opens it for a command that only reads: nothing is written to the file.
    static func openForReading(_ options: HubOptions) throws -> SQLiteHubStore {
        try requireExisting(options.path)
        return try SQLiteHubStore.open(path: options.path, schema: try CountyWorkSchema.load(), readOnly: true)
    }

    /// Throws `not_found` when there is no hub file at `path`.
    static func requireExisting(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SyncError(.notFound, "no hub database at \(path); create one with tributary-hub init or org import")
        }
    }
}
