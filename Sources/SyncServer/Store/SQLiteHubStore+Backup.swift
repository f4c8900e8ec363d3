public import SyncModel
import Foundation
import SyncStore
import GRDB

extension SQLiteHubStore {
    /// Copies the hub with SQLite's online backup API inside one read transaction, so the copy
    /// is the state after some commit even while pushes run, then gives the copy an epoch of
    /// its own: a hub started from it (restored with `restore`, or copied back by hand) runs in
    /// another epoch than the live hub, and its stations notice (SPEC §14).
    public func backup(to path: String) async throws -> BackupReport {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SyncError(.storeInvalid, "\(path) already exists; a backup never overwrites a file")
        }
        let partial = path + ".partial"
        Self.removeDatabaseFiles(partial)
        let epoch = try await self.epoch()
        let backupEpoch = HubEpoch.random()
        let cursor: Int64
        do {
            let destination = try DatabaseQueue(path: partial)
            PrivateFiles.restrict(database: partial)
            try replica.writer.backup(to: destination)
            try destination.close()
            // Reopened so that the journal mode copied with the pages (WAL) is the one in use.
            let copy = try DatabaseQueue(path: partial)
            cursor = try await copy.write { db in
                try HubEpoch.key.write(backupEpoch, db)
                try Meta(key: "backup_of_epoch").write(epoch ?? "", db)
                return try Self.lastPosition(db)
            }
            try copy.close()
            Self.removeDatabaseFiles(partial, keepMain: true)
            try FileManager.default.moveItem(atPath: partial, toPath: path)
        } catch let error as SyncError {
            Self.removeDatabaseFiles(partial)
            throw error
        } catch {
            Self.removeDatabaseFiles(partial)
            let mapped = StoreError.map(error, path: path)
            if StoreError.isDiskFault(mapped) { throw mapped }
            throw SyncError(.storeInvalid, "could not write the backup \(path): \(error)")
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        return BackupReport(path: path, bytes: size, cursor: cursor, epoch: epoch, backupEpoch: backupEpoch)
    }

    /// Puts the backup at `backup` in place of the hub file at `path` (which must not be in use
    /// by a running hub) and renews the log epoch, so that stations re-push what the hub lost
    /// and pull again from the start of the log (SPEC §14). An existing hub file is not
    /// deleted: it is moved aside to `<path>.replaced-<millis>`.
    public static func restore(from backup: String, to path: String, wallClock: WallClock = .system) throws(SyncError) -> RestoreReport {
        guard FileManager.default.fileExists(atPath: backup) else {
            throw SyncError(.notFound, "there is no backup file at \(backup)")
        }
        // A station replica, a file written by a newer version or a damaged one never replaces the hub.
        try ReplicaStore.check(path: backup, kind: .hub, migrations: HubMigrations.register)
        let partial = path + ".restoring"
        removeDatabaseFiles(partial)
        do {
            let source = try DatabaseQueue(path: backup)
            let valid = try source.read { db in
                try db.tableExists("stations") && db.tableExists("site_seq") && db.tableExists("log")
                    && (try Meta.siteID.read(db)) != nil
            }
            guard valid else {
                throw SyncError(.storeInvalid, "\(backup) is not a backup of a Tributary hub")
            }
            let destination = try DatabaseQueue(path: partial)
            PrivateFiles.restrict(database: partial)
            try source.backup(to: destination)
            try source.close()
            try destination.close()
            let epoch = HubEpoch.random()
            let restored = try DatabaseQueue(path: partial)
            let (cursor, stations) = try restored.write { db in
                try HubEpoch.key.write(epoch, db)
                try Meta(key: "restored_at").write(String(wallClock.nowMillis()), db)
                return (try lastPosition(db), try Int.fetchOne(db, sql: "SELECT count(*) FROM stations") ?? 0)
            }
            try restored.close()
            removeDatabaseFiles(partial, keepMain: true)
            var movedTo: String?
            if FileManager.default.fileExists(atPath: path) {
                let aside = "\(path).replaced-\(wallClock.nowMillis())"
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                    try FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
                }
                movedTo = aside
            }
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            return RestoreReport(path: path, replacedMovedTo: movedTo, cursor: cursor, epoch: epoch, stations: stations)
        } catch let error as SyncError {
            removeDatabaseFiles(partial)
            throw error
        } catch {
            removeDatabaseFiles(partial)
            throw SyncError(.storeInvalid, "could not restore \(backup) to \(path): \(error)")
        }
    }

    /// Removes an SQLite file's `-wal` and `-shm` companions (and the file unless `keepMain`).
    static func removeDatabaseFiles(_ path: String, keepMain: Bool = false) {
        for suffix in keepMain ? ["-wal", "-shm"] : ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
