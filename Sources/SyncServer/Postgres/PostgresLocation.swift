public import Foundation
public import SyncModel
import PostgresNIO

/// Where a PostgreSQL hub lives: `postgres://USER[:PASS]@HOST[:PORT]/DB`, optionally
/// `?host=/run/postgresql` (a unix socket directory, as libpq reads it) and
/// `&connect_timeout=SECONDS` (default 5). The password is never printed: ``description``
/// masks it.
public struct PostgresLocation: Hashable, Sendable, CustomStringConvertible {
    /// The user name.
    public var user: String
    /// The password, if any.
    public var password: String?
    /// The TCP host (ignored when ``socketDirectory`` is set).
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The database name.
    public var database: String
    /// A directory holding the server's unix socket `.s.PGSQL.<port>`.
    public var socketDirectory: String?
    /// How long connecting may take before the hub gives up.
    public var connectTimeoutSeconds: Int

    /// Whether `text` names a PostgreSQL database rather than an SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL; `bad_request` saying what is wrong otherwise.
    public init(url text: String) throws(SyncError) {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw SyncError(.badRequest, "\"\(Self.masked(text))\" is no PostgreSQL URL; write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw SyncError(.badRequest, "the PostgreSQL URL names no user; write postgres://USER@HOST/DATABASE")
        }
        let database = String(components.percentEncodedPath.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw SyncError(.badRequest, "the PostgreSQL URL names no database; write postgres://USER@HOST/DATABASE")
        }
        self.user = user
        self.password = components.percentEncodedPassword?.removingPercentEncoding
        self.host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        self.port = components.port ?? 5432
        self.database = database
        self.connectTimeoutSeconds = 5
        for item in components.queryItems ?? [] {
            switch item.name {
            case "host":
                guard let value = item.value, value.hasPrefix("/") else {
                    throw SyncError(.badRequest, "?host= in a PostgreSQL URL is a socket directory such as /run/postgresql")
                }
                socketDirectory = value
            case "connect_timeout":
                guard let value = item.value.flatMap(Int.init), value >= 1 else {
                    throw SyncError(.badRequest, "?connect_timeout= in a PostgreSQL URL is a whole number of seconds, at least 1")
                }
                connectTimeoutSeconds = value
            case "sslmode":
                continue
            default:
                throw SyncError(.badRequest, "the PostgreSQL URL option \"\(item.name)\" is unknown; known: host, connect_timeout")
            }
        }
    }

    /// The URL with its password masked.
    public var description: String {
        let socket = socketDirectory.map { "?host=\($0)" } ?? ""
        return "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)\(socket)"
    }

    /// A URL text with any password masked (for error messages).
    static func masked(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    /// The client configuration (no TLS on a socket; TLS preferred over TCP).
    var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = .init(
                unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
        configuration.options.maximumConnections = 12
        configuration.options.minimumConnections = 0
        configuration.options.connectionIdleTimeout = .seconds(10)
        return configuration
    }

    /// The connection configuration for a single connection (migrations, the reachability check).
    var connectionConfiguration: PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = .init(unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
        return configuration
    }
}
