import Foundation
import GRDB

/// Opens an SQLite file for reading only, even where it cannot be written (SPEC §16).
///
/// A WAL-mode file needs its WAL index (`-shm`) even to be read, and SQLite cannot create one
/// in a folder or on a volume this process may not write, nor size one on a full volume. Such a
/// file is opened the ordinary read-only way when that works, else — only when its `-wal` holds
/// nothing, so that no committed transaction can be waiting there — as `immutable`.
enum ReadOnlyDatabase {
    /// A read-only connection to the file at `path`, checked by reading its schema.
    static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            return try probed(DatabaseQueue(path: path, configuration: configuration))
        } catch {
            guard StoreFileIdentity.fileSize(path + "-wal") == 0 else { throw error }
            let uri = "file:\(path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)?immutable=1"
            do {
                return try probed(DatabaseQueue(path: uri, configuration: configuration))
            } catch {
                // The first failure says more (the immutable open only hides it).
            }
            throw error
        }
    }

    /// `queue` once a read of its schema worked (a WAL-mode file reads its WAL index then).
    private static func probed(_ queue: DatabaseQueue) throws -> DatabaseQueue {
        do {
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        } catch {
            try? queue.close()
            throw error
        }
    }
}
