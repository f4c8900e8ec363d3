package import SyncModel
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Maps SQLite failures to Tributary's stable error codes.
///
/// A full disk and a read-only file each get a code of their own (`disk_full`, `read_only`;
/// SPEC §16) with the path and what to do. SQLite reports a full disk as `SQLITE_FULL`, but a
/// failed `fsync` or shared-memory growth on a full volume, and any write on a read-only
/// mount, come as `SQLITE_IOERR_*` or `SQLITE_CANTOPEN`: for those the volume itself is asked.
package enum StoreError {
    package static func map(_ error: any Error, path: String) -> SyncError {
        if let error = error as? SyncError { return error }
        guard let db = error as? DatabaseError else { return SyncError(.storeInvalid, "\(path): \(error)") }
        switch db.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return SyncError(.busy, "the replica \(path) is locked by another process; try again in a moment")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return damaged(path, detail: db.message ?? "not a database")
        case .SQLITE_FULL:
            return diskFull(path)
        case .SQLITE_READONLY:
            return readOnly(path)
        case .SQLITE_IOERR, .SQLITE_CANTOPEN:
            switch Volume.state(of: path) {
            case .readOnly: return readOnly(path)
            case .full: return diskFull(path)
            case .writable: break
            }
            // A file, or the folder its WAL index and WAL go in, that this process may not write.
            if !Volume.mayWrite(path) { return readOnly(path) }
            if db.resultCode == .SQLITE_CANTOPEN {
                return SyncError(.storeInvalid, "cannot open \(path): check that the folder exists and is writable")
            }
            return SyncError(.storeInvalid, "input/output error on \(path) (\(db.message ?? "\(db.extendedResultCode)")); check the disk")
        default:
            return SyncError(.storeInvalid, "database error on \(path): \(db.message ?? "\(db.resultCode)")")
        }
    }

    /// `disk_full` for the file at `path`.
    package static func diskFull(_ path: String) -> SyncError {
        SyncError(
            .diskFull,
            "the disk holding \(path) is full: nothing of this write was kept and everything saved before is intact; free some space on that disk (or move the file to a larger one) and try again")
    }

    /// `store_invalid` for a file whose pages are damaged (SQLite's `SQLITE_CORRUPT`,
    /// `SQLITE_NOTADB`, or a failed integrity check): nothing is written to it.
    package static func damaged(_ path: String, detail: String) -> SyncError {
        SyncError(
            .storeInvalid,
            "\(path) is damaged (\(detail)): nothing was written to it; put back a backup or a copy of the file (keep the damaged one aside for inspection)")
    }

    /// `read_only` for the file at `path`.
    package static func readOnly(_ path: String) -> SyncError {
        SyncError(
            .readOnly,
            "\(path) cannot be written (the file, its folder or its disk is read-only): nothing was written; reading still works — make the file and its folder writable again (check its permissions and how the disk is mounted) to record changes")
    }

    /// Whether a SyncError is one of the two disk faults.
    package static func isDiskFault(_ error: SyncError) -> Bool {
        error.code == .diskFull || error.code == .readOnly
    }
}

/// What the file system holding a database says about itself.
package enum Volume {
    package enum State: Sendable { case writable, readOnly, full }

    /// Below this many free bytes a failed write is put down to a full disk: SQLite grows a
    /// file by pages (4 KiB) and its WAL by frames, so a volume that refused one has at most
    /// a few pages left.
    static let fullBelowBytes: UInt64 = 64 * 1024

    /// Whether this process may write the file at `path` and create files beside it (its WAL
    /// and WAL index); `true` when the file does not exist and its folder may be written.
    package static func mayWrite(_ path: String) -> Bool {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        if access(path, F_OK) == 0, access(path, W_OK) != 0 { return false }
        return access(folder.isEmpty ? "/" : folder, W_OK) == 0
    }

    /// The state of the volume holding `path` (the file, or its folder when it does not exist).
    package static func state(of path: String) -> State {
        var info = statvfs()
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        guard statvfs(path, &info) == 0 || statvfs(folder.isEmpty ? "/" : folder, &info) == 0 else { return .writable }
        if info.f_flag & UInt(ST_RDONLY) != 0 { return .readOnly }
        if UInt64(info.f_bavail) * UInt64(info.f_frsize) < fullBelowBytes { return .full }
        return .writable
    }
}
