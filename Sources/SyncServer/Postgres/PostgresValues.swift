import SyncModel
import PostgresNIO

/// Values in the PostgreSQL hub's columns: field values as the canonical JSON text of a
/// `jsonb` column, read back by the schema's kind (the text `2` of a number field is the
/// number 2); the other heads of an lww field as lines `<version>\t<canonical json>`; bases as
/// comma-joined versions; site ids and clocks as the bit pattern of a `bigint`.
enum PostgresValues {
    /// The value stored as `json` (the column's text) for a field of `kind` (`nil`: a set element).
    static func value(_ json: String?, kind: ValueKind?) -> FieldValue {
        guard let json, var value = CanonicalJSON.parseValue(json) else { return .null }
        if kind == .number, case .int(let int) = value { value = .number(Double(int)) }
        return value
    }

    /// The `heads` column of a state: its heads after the winner, `nil` when there are none.
    static func heads(_ heads: ArraySlice<Head>) -> String? {
        guard !heads.isEmpty else { return nil }
        return heads.map { $0.version.text + "\t" + CanonicalJSON.text(of: $0.value) }.joined(separator: "\n")
    }

    /// The heads of a `heads` column.
    static func heads(_ text: String?, kind: ValueKind?) -> [Head] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let tab = line.firstIndex(of: "\t"), let version = Version(text: line[..<tab]) else { return nil }
            return Head(version: version, value: value(String(line[line.index(after: tab)...]), kind: kind))
        }
    }

    /// The `bases` column of a change ('' for none).
    static func bases(_ bases: [Version]) -> String {
        bases.map(\.text).joined(separator: ",")
    }

    /// The bases of a `bases` column.
    static func bases(_ text: String) -> [Version] {
        text.isEmpty ? [] : text.split(separator: ",").compactMap { Version(text: $0) }
    }

    /// A field state from its row's winner columns and heads.
    static func state(hlc: Int64, site: Int64, value json: String, heads: String?, kind: ValueKind?) -> FieldState? {
        let winner = Head(version: version(hlc, site), value: value(json, kind: kind))
        return FieldState(heads: [winner] + Self.heads(heads, kind: kind))
    }

    /// A version from its columns.
    static func version(_ hlc: Int64, _ site: Int64) -> Version {
        Version(hlc: HLC(rawValue: UInt64(bitPattern: hlc)), site: SiteID(rawValue: UInt64(bitPattern: site)))
    }

    /// The log columns every log query selects, in the order ``change(_:schema:)`` reads them.
    static let logColumns = "b.first + l.off, l.site, l.seq, l.hlc, l.type, l.rid, l.scope, l.field, l.elem, l.value, l.bases"

    /// The log with its positions: `FROM` this, an entry `l` is at `b.first + l.off` (SPEC §10
    /// "Storage"). Entries after a position p: `b.last > p AND l.off > p - b.first` (both
    /// index conditions), ordered by `b.last, l.off` (the batches' index, then each batch's
    /// entries in order).
    static let numberedLog = "log_batches b JOIN log l ON l.batch = b.batch"

    /// A logged change from a row selected with ``logColumns``.
    static func change(_ row: PostgresRow, schema: Schema) throws -> (position: Int64, change: Change) {
        let (pos, site, seq, hlc, type, rid, scope, field, elem, value, bases) =
            try row.decode((Int64, Int64, Int64, Int64, String, String, String, String, String, String, String).self)
        let element = elem.isEmpty ? nil : elem
        let kind = element == nil ? schema.field(field, of: type)?.kind : nil
        return (
            pos,
            Change(
                site: SiteID(rawValue: UInt64(bitPattern: site)), seq: UInt64(bitPattern: seq), hlc: HLC(rawValue: UInt64(bitPattern: hlc)),
                type: type, id: rid, scope: scope, field: field, element: element, value: Self.value(value, kind: kind), bases: Self.bases(bases))
        )
    }
}

/// PostgreSQL failures as the errors clients see (SPEC §16): a lost or unreachable server is
/// `unavailable` (503, retry later), a full disk `disk_full`, a read-only server `read_only`;
/// each says nothing of the request was kept. Others pass unchanged.
enum PostgresErrors {
    /// SQLSTATEs worth running the transaction again for: serialisation failure, deadlock.
    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// Whether `error` ended the connection (or the server is ending it): its transaction is
    /// rolled back by the server, and nothing more may be sent on it — a statement written to
    /// a connection the server has just closed can wait for an answer that never comes
    /// (postgres-nio 1.33; found by the PostgreSQL soak).
    static func isConnectionLost(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError else { return false }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown: return true
        default: break
        }
        if let severity = psql.serverInfo?[.severity], severity == "FATAL" || severity == "PANIC" { return true }
        guard let state = psql.serverInfo?[.sqlState] else { return false }
        return state.hasPrefix("08") || state.hasPrefix("57P")
    }

    /// What a request meets when its connection closes under it (``PostgresConnectionWatch``).
    static var connectionClosed: SyncError {
        SyncError(.unavailable, "the hub lost its connection to the database; nothing of this request was kept — retry in a moment")
    }

    /// The SQLSTATE of a server error.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func map(_ error: any Error) -> any Error {
        if error is SyncError || error is HubError { return error }
        guard let psql = error as? PSQLError else { return error }
        if let state = psql.serverInfo?[.sqlState] {
            switch state {
            case "53100":
                return SyncError(
                    .diskFull,
                    "the hub database's disk is full: nothing of this request was kept or acknowledged; stations keep their changes and send them again later — the database's operator must free space")
            case "25006":
                return SyncError(
                    .readOnly, "the hub database is read-only (a standby, or default_transaction_read_only): nothing of this request was kept; reads still work")
            case "57P01", "57P02", "57P03", "08000", "08003", "08006", "53300":
                return SyncError(.unavailable, "the hub database is restarting or unreachable; nothing of this request was kept — retry in a moment")
            default:
                let message = psql.serverInfo?[.message] ?? "unknown"
                return SyncError(.internalError, "the hub database refused a statement (SQLSTATE \(state): \(message)); nothing of this request was kept")
            }
        }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
            return connectionClosed
        default:
            return error
        }
    }

    /// A failure to connect when opening, as one clear sentence.
    static func connectFailure(_ error: any Error, location: PostgresLocation) -> SyncError {
        if let psql = error as? PSQLError, let message = psql.serverInfo?[.message] {
            return SyncError(.unavailable, "cannot open the hub database \(location): \(message)")
        }
        let detail = (error as? PSQLError).map { "\($0.code)" } ?? "\(error)"
        return SyncError(
            .unavailable,
            "cannot reach PostgreSQL at \(location) within \(location.connectTimeoutSeconds) s (\(detail)); check that the server runs and the URL is right")
    }
}
