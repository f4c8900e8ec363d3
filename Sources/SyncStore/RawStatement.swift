package import GRDB
import GRDBSQLite
package import SyncModel

/// A statement of the apply path, stepped through the SQLite C API.
///
/// The statement comes from GRDB's cache of the connection (so it is prepared once per
/// connection), but binding and stepping go straight to SQLite: no `StatementArguments`
/// array, no `Row` copies. A change then costs a few statement steps and its strings.
/// Always used inside a GRDB transaction on GRDB's writer; GRDB resets and rebinds a cached
/// statement before each of its own uses, so sharing the cache is safe.
package struct RawStatement {
    /// Kept so that the handle outlives a clearing of GRDB's cache.
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    package init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    /// Binds the parameters (from 1) with `bind`, then steps once: `true` when a row came back.
    /// The statement is reset first, so a previous row is gone.
    @discardableResult
    package func step(_ bind: (inout Binder) -> Void) throws -> Bool {
        sqlite3_reset(handle)
        var binder = Binder(handle: handle)
        bind(&binder)
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Ends the current run of the statement (releases its hold on the rows read); call it
    /// once a row's columns are read and no further rows are wanted.
    package func reset() {
        sqlite3_reset(handle)
    }

    /// Steps once more after a row: `true` while rows keep coming.
    package func next() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = String(cString: sqlite3_errmsg(connection))
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Runs the statement (binding with `bind`) and returns how many rows it changed.
    @discardableResult
    package func execute(_ bind: (inout Binder) -> Void) throws -> Int {
        try step(bind)
        return Int(sqlite3_changes(connection))
    }

    /// Column `index` (from 0) of the current row.
    package func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Whether column `index` of the current row is NULL.
    package func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// Column `index` of the current row as text (`nil` when NULL).
    package func text(_ index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, index) as UnsafePointer<UInt8>? else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Column `index` of the current row as the field value it stores (see ``ValueColumn``).
    package func value(_ index: Int32, kind: ValueKind?) -> FieldValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER:
            let i = sqlite3_column_int64(handle, index)
            switch kind {
            case .bool?, .set?, nil: return .bool(i != 0)
            case .number?: return .number(Double(i))
            default: return .int(i)
            }
        case SQLITE_FLOAT: return .number(sqlite3_column_double(handle, index))
        default: return .string(text(index) ?? "")
        }
    }

    /// Binds a statement's parameters in order, from 1.
    package struct Binder {
        fileprivate let handle: OpaquePointer
        private var index: Int32 = 1

        fileprivate init(handle: OpaquePointer) {
            self.handle = handle
        }

        package mutating func bind(_ value: Int64) {
            sqlite3_bind_int64(handle, index, value)
            index += 1
        }

        package mutating func bind(_ value: String) {
            var text = value
            text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    if let start = chars.baseAddress {
                        _ = sqlite3_bind_text(handle, index, start, Int32(chars.count), transient)
                    } else {
                        // An empty buffer may have no address, and SQLite binds a NULL pointer as NULL.
                        _ = sqlite3_bind_text(handle, index, "", 0, transient)
                    }
                }
            }
            index += 1
        }

        package mutating func bind(_ value: String?) {
            if let value { bind(value) } else { bindNull() }
        }

        package mutating func bindNull() {
            sqlite3_bind_null(handle, index)
            index += 1
        }

        /// A field value as ``ValueColumn`` stores it.
        mutating func bind(_ value: FieldValue) {
            switch value {
            case .null: bindNull()
            case .bool(let b): bind(Int64(b ? 1 : 0))
            case .int(let i): bind(i)
            case .number(let d):
                sqlite3_bind_double(handle, index, d)
                index += 1
            case .string(let s): bind(s)
            }
        }
    }
}

/// SQLite copies bound text at once (`SQLITE_TRANSIENT`).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

