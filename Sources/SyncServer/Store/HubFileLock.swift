public import SyncModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on `<hub file>.lock` (`flock`), held by `tributary-hub serve` for as long
/// as it serves and by `restore` while it replaces the file: a restore never moves a file a
/// live hub still writes to, and a second `serve` never starts on a file another one serves.
/// The kernel releases the lock when the process ends, however it ends (`kill -9` included).
public final class HubFileLock: Sendable {
    /// The lock file's path.
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// The lock file of the hub file at `database`.
    public static func lockPath(of database: String) -> String { database + ".lock" }

    /// Takes the lock of the hub file at `database` for `purpose` ("serve", "restore"), or
    /// throws `busy` naming the process that holds it. On a volume where the lock file cannot
    /// be created (read-only), returns `nil`: nothing can replace the file there either.
    public static func acquire(database: String, purpose: String) throws(SyncError) -> HubFileLock? {
        let path = lockPath(of: database)
        var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        let createError = errno
        if descriptor < 0 { descriptor = open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            // A folder this process may not write (read-only volume, another owner): there is no
            // lock to take, and this process cannot replace the file there either.
            if [EROFS, EACCES, EPERM, ENOSPC].contains(createError) { return nil }
            throw SyncError(.storeInvalid, "cannot open the lock file \(path): \(String(cString: strerror(createError)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            let who = holder.isEmpty ? "another tributary-hub process" : holder
            throw SyncError(
                .busy,
                "\(database) is in use by \(who) (lock \(path)); stop the hub first (systemctl stop tributary-hub), then \(purpose) again")
        }
        // Who holds it, for the message another process shows.
        if ftruncate(descriptor, 0) == 0 {
            let note = "tributary-hub \(purpose) (pid \(getpid()))\n"
            _ = note.withCString { write(descriptor, $0, strlen($0)) }
        }
        return HubFileLock(path: path, descriptor: descriptor)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
