import SyncModel
import GRDB

/// Maps SQLite failures to Tributary's stable error codes.
enum StoreError {
    static func map(_ error: any Error, path: String) -> SyncError {
        if let error = error as? SyncError { return error }
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return SyncError(.busy, "the replica \(path) is locked by another process; try again in a moment")
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return SyncError(.storeInvalid, "\(path) is not a readable Tributary replica (\(db.message ?? "not a database"))")
            case .SQLITE_CANTOPEN:
                return SyncError(.storeInvalid, "cannot open \(path): check that the folder exists and is writable")
            case .SQLITE_FULL:
                return SyncError(.diskFull, "the disk holding \(path) is full; nothing of this write was kept — free some space and try again")
            case .SQLITE_READONLY:
                return SyncError(.readOnly, "\(path) or its folder is read-only; nothing can be written until it is writable again")
            default:
                return SyncError(.storeInvalid, "database error on \(path): \(db.message ?? "\(db.resultCode)")")
            }
        }
        return SyncError(.storeInvalid, "\(path): \(error)")
    }
}
