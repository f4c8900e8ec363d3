public import SyncModel

/// Which store a hub runs on, as `--db` (or `TRIBUTARY_HUB_DB`, or the config file's `db`)
/// names it: a `postgres://` URL is a PostgreSQL database shared by any number of hub
/// processes; anything else is the path of the hub's SQLite file.
public enum HubDatabase: Hashable, Sendable, CustomStringConvertible {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresLocation)

    /// Reads `--db`; a malformed `postgres://` URL is `bad_request`.
    public init(_ text: String) throws(SyncError) {
        if PostgresLocation.isURL(text) {
            self = .postgres(try PostgresLocation(url: text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The path or the URL with its password masked.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}
