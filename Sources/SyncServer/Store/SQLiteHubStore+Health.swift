public import SyncModel
import Foundation
import SyncStore
import GRDB
#if canImport(Glibc)
import Glibc
#endif

extension SQLiteHubStore {
    /// Why pushes would be refused now, or `nil` when the hub can store them. In order: the
    /// file was opened for reading only (SPEC §16); the last write failed with a disk fault and
    /// a probe write (one `meta` row) still fails; the volume is read-only or full; the hub
    /// process may not write the file, its `-wal`, `-shm` or its folder (e.g. a `-wal` left
    /// owned by another user).
    public func writeProblem() async -> SyncError? {
        if let unwritable = replica.unwritable { return Self.fault(unwritable.code) }
        if health.fault != nil {
            // A probe tells whether the fault has passed (space freed, file made writable).
            do {
                try await write { db in try Meta(key: "health_probe").write(String(self.now), db) }
            } catch {
                return health.fault ?? Self.fault(.readOnly)
            }
        }
        let path = replica.path
        guard path != ":memory:", !path.isEmpty else { return nil }
        switch Volume.state(of: path) {
        case .readOnly: return Self.fault(.readOnly)
        case .full: return Self.fault(.diskFull)
        case .writable: break
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        for file in [path, path + "-wal", path + "-shm", folder] where FileManager.default.fileExists(atPath: file) {
            if access(file, W_OK) != 0 {
                return SyncError(
                    .readOnly,
                    "the hub process may not write its database file, its -wal or -shm, or their folder: pushes are refused — give the files back to the hub's user (chown), then restart the hub")
            }
        }
        return nil
    }
}
