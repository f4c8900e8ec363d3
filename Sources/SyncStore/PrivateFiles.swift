import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Database files hold personal fields (phone and ID numbers): the ones this program creates
/// are made readable and writable by their owner only (0600), whatever the process's umask.
package enum PrivateFiles {
    /// Sets `path` and its SQLite companions (`-wal`, `-shm`) that exist to 0600.
    package static func restrict(database path: String) {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            _ = chmod(path + suffix, 0o600)
        }
    }
}
