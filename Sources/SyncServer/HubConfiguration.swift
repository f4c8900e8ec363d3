public import SyncModel

/// How a hub runs. Every field has a default that suits a county hub on one machine.
public struct HubConfiguration: Sendable {
    /// The address to listen on; loopback unless the hub is meant to be reached directly.
    public var host: String = "127.0.0.1"
    /// The TCP port; 0 picks a free one (reported to `onServerRunning`).
    public var port: Int = 8080
    /// The hub's store (created and migrated at start): the path of its SQLite file, or a
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` URL (``HubDatabase``).
    public var dbPath: String = "./hub.db"
    /// The schema a new hub file starts with, as its version 1 (SPEC §9); a hub file that holds
    /// schemas goes by the newest it holds (`tributary-hub schema apply`). `nil`: the file must
    /// hold one already. `tributary-hub` passes county-work's; SyncServer names no schema.
    public var schema: Schema? = nil
    /// The largest request body accepted, before and after gunzip (413 `payload_too_large`).
    public var maxBodyBytes: Int = 32 * 1024 * 1024
    /// How far ahead of the hub's clock a change's clock may be (409 `clock_skew`).
    public var maxDriftMillis: UInt64 = ValidationContext.defaultMaxDriftMillis
    /// The changes a pull returns when the station sends no `limit`.
    public var pullLimit: Int = 5_000
    /// The most changes (or snapshot records) one pull or snapshot page returns.
    public var maxPullLimit: Int = 20_000
    /// The records a snapshot page returns when the station sends no `limit`.
    public var snapshotLimit: Int = 2_000
    /// The name the server gives in its `Server` header.
    public var serverName: String = "tributary-hub"
    /// The wall clock (tests fix it).
    public var wallClock: WallClock = .system
    /// Requests per second each station token, admin token or dashboard session earns back
    /// (429 `rate_limited` past its burst); 0 turns the limit off.
    public var rateLimit: Double = 50
    /// The requests a token or session may make at once before ``rateLimit`` applies.
    public var rateBurst: Int = 1_000
    /// Failed authentications per second a client address earns back; 0 turns the limit off.
    public var failedAuthLimit: Double = 1
    /// The failed authentications a client address may make at once.
    public var failedAuthBurst: Int = 60
    /// Whether the client address for ``failedAuthLimit`` is the last `X-Forwarded-For`
    /// entry (only behind a reverse proxy that sets it; otherwise clients could forge it).
    public var trustForwardedFor: Bool = false
    /// The push, pull and snapshot requests worked on at once; the others wait their turn in
    /// arrival order (SPEC §10 "Admission"), a push with its body read. Each station token
    /// holds at most one of these turns at a time. Bounds memory when every station syncs at once.
    public var maxConcurrentSyncs: Int = 8
    /// Seconds a client has to send a request's head (request line and headers), from the
    /// connection's opening or from the first byte of a later request (SPEC §10 "Connections").
    public var headerTimeout: Double = 10
    /// Seconds a connection may stay open between two requests (keep-alive).
    public var idleTimeout: Double = 30
    /// Seconds any request body may take, however slowly it comes; past them it must keep up
    /// ``minBodyRate`` on average, or the connection is closed.
    public var bodyTimeout: Double = 30
    /// The slowest average rate, in bytes per second, at which a body that takes longer than
    /// ``bodyTimeout`` is still read.
    public var minBodyRate: Int = 8 * 1024
    /// Connections one client address (the TCP peer, never `X-Forwarded-For`) may hold open at
    /// once; the next one is closed at once. 0 turns the cap off (behind a reverse proxy, every
    /// connection is the proxy's).
    public var maxConnectionsPerAddress: Int = 128

    /// Creates a configuration; every argument is optional.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, dbPath: String = "./hub.db", maxBodyBytes: Int = 32 * 1024 * 1024,
        maxDriftMillis: UInt64 = ValidationContext.defaultMaxDriftMillis, pullLimit: Int = 5_000, maxPullLimit: Int = 20_000,
        snapshotLimit: Int = 2_000, serverName: String = "tributary-hub", wallClock: WallClock = .system,
        rateLimit: Double = 50, rateBurst: Int = 1_000, failedAuthLimit: Double = 1, failedAuthBurst: Int = 60,
        trustForwardedFor: Bool = false, maxConcurrentSyncs: Int = 8, schema: Schema? = nil
    ) {
        self.schema = schema
        self.host = host
        self.port = port
        self.dbPath = dbPath
        self.maxBodyBytes = maxBodyBytes
        self.maxDriftMillis = maxDriftMillis
        self.pullLimit = pullLimit
        self.maxPullLimit = maxPullLimit
        self.snapshotLimit = snapshotLimit
        self.serverName = serverName
        self.wallClock = wallClock
        self.rateLimit = rateLimit
        self.rateBurst = rateBurst
        self.failedAuthLimit = failedAuthLimit
        self.failedAuthBurst = failedAuthBurst
        self.trustForwardedFor = trustForwardedFor
        self.maxConcurrentSyncs = maxConcurrentSyncs
    }
}
