import CountyWork
import ArgumentParser
import Configuration
import SystemPackage
import Foundation
import Hummingbird
import Logging
import SyncModel
import SyncServer

/// `tributary-hub serve`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve protocol v1 to stations until SIGTERM or SIGINT.",
        discussion: """
            Prints `listening on http://HOST:PORT` once the port is bound (with --port 0, a free port).

            Settings come from, in order of precedence: the flags; environment variables \
            TRIBUTARY_HUB_HOST, TRIBUTARY_HUB_PORT, TRIBUTARY_HUB_DB, TRIBUTARY_HUB_MAX_BODY_BYTES, \
            TRIBUTARY_HUB_MAX_DRIFT_SECONDS, TRIBUTARY_HUB_LOG_LEVEL, TRIBUTARY_HUB_RATE_LIMIT, \
            TRIBUTARY_HUB_RATE_BURST, TRIBUTARY_HUB_FAILED_AUTH_LIMIT, TRIBUTARY_HUB_FAILED_AUTH_BURST, \
            TRIBUTARY_HUB_TRUST_FORWARDED_FOR, TRIBUTARY_HUB_MAX_CONCURRENT_SYNCS; the JSON file given with \
            --config, e.g. {"hub": {"host": "127.0.0.1", "port": 8080, "db": "/var/lib/tributary/hub.db", \
            "maxBodyBytes": 33554432, "maxDriftSeconds": 600, "logLevel": "info", "rateLimit": 50, "rateBurst": 1000, \
            "failedAuthLimit": 1, "failedAuthBurst": 60, "trustForwardedFor": true, "maxConcurrentSyncs": 8, \
            "headerTimeout": 10, "idleTimeout": 30, "bodyTimeout": 30, "minBodyRate": 8192, \
            "maxConnectionsPerAddress": 0}}; then the defaults. An unknown key or variable, or a value \
            of the wrong type, is refused with its name (exit 1).

            The hub file must exist (tributary-hub init or org import create it). While serving, the \
            hub holds <db>.lock: a second serve and `restore` on the same file are refused (busy). \
            /healthz answers 503 degraded when pushes would be refused read_only or disk_full.

            The hub works on --max-concurrent-syncs push, pull and snapshot requests at once; the \
            others wait their turn in arrival order, so memory stays bounded when every station \
            syncs at once (SPEC §10). A push's body is read before it takes its turn, and each \
            station token holds at most one turn at a time (two more of its requests may wait).

            Slow and idle clients (SPEC §10 "Connections"): a request's head must come within \
            --header-timeout seconds, a connection may stay idle between requests --idle-timeout \
            seconds, and a body may take --body-timeout seconds and longer only at --min-body-rate \
            bytes per second or more; otherwise the hub closes the connection. Each client address \
            may hold --max-connections-per-address connections at once (0: no cap); the address is \
            the TCP peer, so behind a reverse proxy raise the cap above the proxy's connections or \
            turn it off and let the proxy limit its clients.

            Rate limits (SPEC §15): each station token, admin token and dashboard session may make \
            --rate-burst requests at once and --rate-limit per second on average; each client \
            address may fail authentication --failed-auth-burst times at once and --failed-auth-limit \
            times per second. Past them the hub answers 429 rate_limited with Retry-After. 0 turns a \
            limit off. Behind a reverse proxy every client has the proxy's address: pass \
            --trust-forwarded-for so the failed-authentication limit keys on X-Forwarded-For (never \
            without such a proxy, as clients could forge it). TLS: terminate it at the proxy \
            (Scripts/deploy/nginx-tributary.conf).

            Examples:
              tributary-hub --db hub.db serve --port 8080
              tributary-hub serve --config /etc/tributary/hub.json
            """)

    @OptionGroup var hub: HubOptions

    @Option(help: ArgumentHelp("A JSON configuration file (see above).", valueName: "FILE"))
    var config: String?

    @Option(help: "The address to listen on (default: 127.0.0.1).")
    var host: String?

    @Option(help: "The TCP port; 0 picks a free one (default: 8080).")
    var port: Int?

    @Option(help: "The largest request body in bytes (default: 33554432).")
    var maxBody: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error (default: info).")
    var logLevel: String?

    @Option(help: ArgumentHelp("Requests per second per token or dashboard session; 0 turns it off (default: 50).", valueName: "PER-SECOND"))
    var rateLimit: Double?

    @Option(help: ArgumentHelp("Requests a token or session may make at once (default: 1000).", valueName: "COUNT"))
    var rateBurst: Int?

    @Option(help: ArgumentHelp("Failed authentications per second per client address; 0 turns it off (default: 1).", valueName: "PER-SECOND"))
    var failedAuthLimit: Double?

    @Option(help: ArgumentHelp("Failed authentications a client address may make at once (default: 60).", valueName: "COUNT"))
    var failedAuthBurst: Int?

    @Flag(help: "Key the failed-authentication limit on the last X-Forwarded-For entry (only behind a reverse proxy).")
    var trustForwardedFor = false

    @Option(help: ArgumentHelp("Push, pull and snapshot requests worked on at once; more wait their turn (default: 8).", valueName: "COUNT"))
    var maxConcurrentSyncs: Int?

    @Option(help: ArgumentHelp("Seconds a client has to send a request's head (default: 10).", valueName: "SECONDS"))
    var headerTimeout: Double?

    @Option(help: ArgumentHelp("Seconds a connection may stay idle between requests (default: 30).", valueName: "SECONDS"))
    var idleTimeout: Double?

    @Option(help: ArgumentHelp("Seconds any request body may take before --min-body-rate applies (default: 30).", valueName: "SECONDS"))
    var bodyTimeout: Double?

    @Option(help: ArgumentHelp("The slowest average body rate kept past --body-timeout (default: 8192).", valueName: "BYTES-PER-SECOND"))
    var minBodyRate: Int?

    @Option(help: ArgumentHelp("Connections one client address may hold at once; 0 turns the cap off (default: 128).", valueName: "COUNT"))
    var maxConnectionsPerAddress: Int?

    func run() async throws {
        let settings = try await ServeSettings.reader(file: config)
        let host = self.host ?? settings.string(forKey: "hub.host", default: "127.0.0.1")
        let port = self.port ?? settings.int(forKey: "hub.port", default: 8080)
        let levelName = self.logLevel ?? settings.string(forKey: "hub.logLevel", default: "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw SyncError(.badRequest, "log level \"\(levelName)\" is not one of trace, debug, info, notice, warning, error")
        }
        guard (0...65_535).contains(port) else { throw SyncError(.badRequest, "port \(port) is not between 0 and 65535") }
        var configuration = HubConfiguration(
            host: host, port: port,
            dbPath: hub.db ?? settings.string(forKey: "hub.db", default: hub.path),
            maxBodyBytes: maxBody ?? settings.int(forKey: "hub.maxBodyBytes", default: 32 * 1024 * 1024))
        configuration.maxDriftMillis = UInt64(max(1, settings.int(forKey: "hub.maxDriftSeconds", default: 600))) * 1_000
        configuration.rateLimit = rateLimit ?? settings.double(forKey: "hub.rateLimit", default: configuration.rateLimit)
        configuration.rateBurst = rateBurst ?? settings.int(forKey: "hub.rateBurst", default: configuration.rateBurst)
        configuration.failedAuthLimit = failedAuthLimit ?? settings.double(forKey: "hub.failedAuthLimit", default: configuration.failedAuthLimit)
        configuration.failedAuthBurst = failedAuthBurst ?? settings.int(forKey: "hub.failedAuthBurst", default: configuration.failedAuthBurst)
        configuration.trustForwardedFor = trustForwardedFor || settings.bool(forKey: "hub.trustForwardedFor", default: false)
        guard configuration.rateLimit >= 0, configuration.failedAuthLimit >= 0 else {
            throw SyncError(.badRequest, "--rate-limit and --failed-auth-limit are 0 (off) or a positive number of requests per second")
        }
        guard configuration.rateBurst >= 1, configuration.failedAuthBurst >= 1 else {
            throw SyncError(.badRequest, "--rate-burst and --failed-auth-burst are at least 1")
        }
        configuration.maxConcurrentSyncs =
            maxConcurrentSyncs ?? settings.int(forKey: "hub.maxConcurrentSyncs", default: configuration.maxConcurrentSyncs)
        guard configuration.maxConcurrentSyncs >= 1 else {
            throw SyncError(.badRequest, "--max-concurrent-syncs is at least 1; got \(configuration.maxConcurrentSyncs)")
        }
        try connectionSettings(settings, into: &configuration)
        // A hub file made by `init` or `org import` already holds its schema; this is the first
        // version a hub made otherwise starts with.
        configuration.schema = try CountyWorkSchema.load()

        try HubStoreOpener.requireExisting(configuration.dbPath)
        // Held while serving an SQLite file: `restore` and a second `serve` on the same file are
        // refused. A PostgreSQL database is served by any number of processes (SPEC §10 "Storage").
        var lock: HubFileLock?
        if case .sqlite = try HubDatabase(configuration.dbPath) {
            lock = try HubFileLock.acquire(database: configuration.dbPath, purpose: "serve")
        }
        var logger = Logger(label: "tributary-hub")
        logger.logLevel = level
        let app = try await buildApplication(configuration: configuration, logger: logger) { port in
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
        defer { withExtendedLifetime(lock) {} }
        try await app.runService()
    }

    /// The connection deadlines and cap (SPEC §10 "Connections"), checked.
    func connectionSettings(_ settings: ConfigReader, into configuration: inout HubConfiguration) throws {
        configuration.headerTimeout = headerTimeout ?? settings.double(forKey: "hub.headerTimeout", default: configuration.headerTimeout)
        configuration.idleTimeout = idleTimeout ?? settings.double(forKey: "hub.idleTimeout", default: configuration.idleTimeout)
        configuration.bodyTimeout = bodyTimeout ?? settings.double(forKey: "hub.bodyTimeout", default: configuration.bodyTimeout)
        configuration.minBodyRate = minBodyRate ?? settings.int(forKey: "hub.minBodyRate", default: configuration.minBodyRate)
        configuration.maxConnectionsPerAddress =
            maxConnectionsPerAddress ?? settings.int(forKey: "hub.maxConnectionsPerAddress", default: configuration.maxConnectionsPerAddress)
        for (name, value) in [
            ("--header-timeout", configuration.headerTimeout), ("--idle-timeout", configuration.idleTimeout),
            ("--body-timeout", configuration.bodyTimeout),
        ] where !(value > 0) {
            throw SyncError(.badRequest, "\(name) is a number of seconds above 0; got \(value)")
        }
        guard configuration.minBodyRate >= 1 else {
            throw SyncError(.badRequest, "--min-body-rate is at least 1 byte per second; got \(configuration.minBodyRate)")
        }
        guard configuration.maxConnectionsPerAddress >= 0 else {
            throw SyncError(.badRequest, "--max-connections-per-address is 0 (no cap) or more; got \(configuration.maxConnectionsPerAddress)")
        }
    }
}
