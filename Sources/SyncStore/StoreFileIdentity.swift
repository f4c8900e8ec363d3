public import SyncModel
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// What lies at a path, found without writing to it: nothing, an empty file, something that is
/// not a database, another program's database, or a Tributary file of one ``StoreKind``.
///
/// Programs look before they open: SQLite would turn an empty file into a database at the
/// first write, and GRDB switches any database it opens to WAL mode, so a file must be known
/// to be of the right kind before it is opened for writing (SPEC §16).
public enum StoreFileIdentity: Sendable, Equatable {
    /// Nothing is at the path.
    case missing
    /// A regular file of 0 bytes, or an SQLite database with no tables: it holds nothing.
    case empty
    /// Not a regular file: a directory, a device, a pipe or a socket (named).
    case notRegularFile(String)
    /// A file that does not start like an SQLite database.
    case notSQLite
    /// An SQLite database that is not Tributary's (described).
    case foreign(String)
    /// A Tributary file of this kind.
    case tributary(StoreKind)
    /// A file that could not be read to tell (damaged, locked, unreadable): the reason.
    case unreadable(SyncError)

    /// Looks at the file at `path`.
    public static func of(_ path: String) -> StoreFileIdentity {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT ? .missing : .unreadable(SyncError(.storeInvalid, "cannot look at \(path): \(String(cString: strerror(errno)))"))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .notRegularFile("a directory")
        case S_IFCHR, S_IFBLK: return .notRegularFile("a device")
        case S_IFIFO: return .notRegularFile("a pipe")
        case S_IFSOCK: return .notRegularFile("a socket")
        default: return .notRegularFile("not a regular file")
        }
        if info.st_size == 0 {
            // A WAL-mode file whose first pages are still only in its WAL is not empty.
            guard fileSize(path + "-wal") > 0 else { return .empty }
        } else {
            guard let header = readHeader(path) else {
                return .unreadable(SyncError(.storeInvalid, "cannot read \(path): \(String(cString: strerror(errno)))"))
            }
            guard header.count >= 100, header.starts(with: Array("SQLite format 3\0".utf8)) else { return .notSQLite }
            let id = header[68..<72].reduce(Int32(0)) { $0 << 8 | Int32($1) }
            if let kind = StoreKind(applicationID: id) { return .tributary(kind) }
            if id != 0 { return .foreign("an SQLite database of another program (application id 0x\(String(UInt32(bitPattern: id), radix: 16)))") }
        }
        // No application id in the file's header: a file written before it was stamped (its
        // migrations tell), one whose stamp is still in its WAL, or another program's database.
        do {
            let queue = try ReadOnlyDatabase.open(path)
            defer { try? queue.close() }
            return try queue.read { db in
                if let kind = StoreKind(applicationID: try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0) { return .tributary(kind) }
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return .empty }
                if tables.contains("grdb_migrations"),
                    let kind = StoreKind(migrations: try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations"))
                {
                    return .tributary(kind)
                }
                return .foreign("an SQLite database of another program")
            }
        } catch {
            return .unreadable(StoreError.map(error, path: path))
        }
    }

    /// Why a program that works on `kind` files refuses this one, or `nil` when it is such a
    /// file (or nothing is there yet).
    public func refusal(path: String, expected kind: StoreKind) -> SyncError? {
        switch self {
        case .missing:
            return nil
        case .tributary(let found) where found == kind:
            return nil
        case .tributary(let found):
            return SyncError(
                .storeInvalid, "\(path) is \(found.noun), not \(kind.noun): nothing was read or written; use `\(found.program)` with it, or give the path of \(kind.noun)")
        case .empty:
            let remedy = kind == .station
                ? "`tributary init --force` replaces it, since it holds nothing"
                : "remove it, or give the path of the hub's file"
            return SyncError(.storeInvalid, "\(path) is an empty file, not \(kind.noun): nothing was written to it; \(remedy)")
        case .notRegularFile(let what):
            return SyncError(.storeInvalid, "\(path) is \(what), not \(kind.noun); give the path of a file")
        case .notSQLite:
            return SyncError(
                .storeInvalid, "\(path) is not \(kind.noun) (not an SQLite database at all): nothing was written to it; check the path")
        case .foreign(let what):
            return SyncError(.storeInvalid, "\(path) is \(what), not \(kind.noun): nothing was written to it; check the path")
        case .unreadable(let error):
            return error
        }
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// The first 100 bytes of the file (SQLite's database header), or fewer if it is shorter.
    static func readHeader(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 100)
        var count = 0
        while count < header.count {
            let read = header.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + count, 100 - count) }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else { break }
            count += read
        }
        return Array(header.prefix(count))
    }
}
