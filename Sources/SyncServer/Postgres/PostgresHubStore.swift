public import SyncModel
import Foundation
public import Logging
public import ServiceLifecycle
import PostgresNIO
import SyncStore

/// The hub's store in a PostgreSQL database, shared by any number of stateless
/// `tributary-hub` processes (SPEC §10 "Storage").
///
/// It drives the same engine as ``SQLiteHubStore`` — ``PushMachine``, ``PullMachine``,
/// ``ViewMachine`` and SyncModel's ``MergeFold`` — inside PostgreSQL transactions, and decides
/// nothing itself. What it adds is what several writers need:
/// - **commit-ordered log positions**: a write transaction numbers its log entries at its very
///   end, under the row lock of `log_head`, which it holds until it has committed; a
///   transaction is visible before its locks are released, so positions become visible in
///   order and a pull never skips one (``PostgresTransaction/publish(_:)``);
/// - **per-site and per-record locks** (transaction-level advisory locks) so that site
///   binding, acknowledged seqs and the merge of one record are race-free across processes.
///
/// The client's connection pool runs while the store is open: ``open(_:schema:wallClock:logger:runsPool:)``
/// starts it and ``close()`` ends it, or — in `tributary-hub serve` — the application's
/// service group runs it (``pool``) and ends it on graceful shutdown.
public struct PostgresHubStore: HubStore {
    /// Where the database is.
    public let location: PostgresLocation
    /// The current schema, as this process last read it (``currentSchema()`` reads it again).
    public var schema: Schema { schemaBox.schema }
    let schemaBox: SchemaBox
    public let siteID: SiteID
    /// The wall clock, for contact times and answer clocks.
    let wallClock: WallClock
    let client: PostgresClient
    let logger: Logger
    private let running: RunningClient?
    /// Test hooks.
    package let hooks = PostgresHooks()

    /// The connection pool as a service, for a caller that opened the store with
    /// `runsPool: false` and runs it in its own service group.
    public var pool: any Service { client }

    /// Opens the hub database at `location` (creating and migrating its tables if needed; a new
    /// hub starts with `schema` as its version 1, an existing one goes by the newest schema it
    /// holds, and with no `schema` the database must hold one already):
    /// `unavailable` when the server cannot be reached within the URL's connect timeout,
    /// `store_invalid` when the database holds something else.
    public static func open(
        _ location: PostgresLocation, schema: Schema?, wallClock: WallClock = .system, logger: Logger? = nil, runsPool: Bool = true
    ) async throws -> PostgresHubStore {
        let logger = logger ?? Logger(label: "tributary-hub.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let (siteID, current) = try await PostgresMigrations.migrate(location, seed: schema, logger: logger)
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
        let running = runsPool ? RunningClient(client) : nil
        return PostgresHubStore(location: location, schema: current, siteID: siteID, wallClock: wallClock, client: client, logger: logger, running: running)
    }

    private init(
        location: PostgresLocation, schema: Schema, siteID: SiteID, wallClock: WallClock, client: PostgresClient, logger: Logger,
        running: RunningClient?
    ) {
        self.location = location
        self.schemaBox = SchemaBox(schema)
        self.siteID = siteID
        self.wallClock = wallClock
        self.client = client
        self.logger = logger
        self.running = running
    }

    /// Ends the connection pool (every later call fails `unavailable`).
    public func close() async {
        await running?.stop()
    }

    /// The wall clock, in milliseconds.
    var now: UInt64 { wallClock.nowMillis() }

    /// How long a transaction may wait for a connection before it is answered `unavailable`.
    var leaseTimeout: Duration { .seconds(Int64(location.connectTimeoutSeconds) + 5) }

    /// Runs `body` in a write transaction (READ COMMITTED; the locks it takes serialise what
    /// must be), committing when it returns; retried on a deadlock or serialisation failure.
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await transaction("BEGIN ISOLATION LEVEL READ COMMITTED", body)
            } catch let error as PSQLError where PostgresErrors.isRetryable(error) {
                attempt += 1
                guard attempt < 5 else {
                    throw SyncError(.unavailable, "the hub database is busy (deadlocks between concurrent writes); nothing of this request was kept — retry in a moment")
                }
                // Back off a little before running the transaction again (not a synchronisation).
                try await Task.sleep(for: .milliseconds(5 * attempt))
            }
        }
    }

    /// Runs `body` in a read-only transaction on one consistent snapshot (REPEATABLE READ).
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func transaction<T: Sendable>(_ begin: String, _ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        let logger = self.logger
        let hooks = self.hooks
        do {
            return try await PostgresLease.with(client, timeout: leaseTimeout) { connection in
                let transaction = PostgresTransaction(connection: connection, logger: logger)
                transaction.beforePublish = hooks.beforePublish
                try await transaction.execute(PostgresQuery(unsafeSQL: begin))
                do {
                    let result = try await body(transaction)
                    try await transaction.commit()
                    return result
                } catch {
                    // On a lost connection the server rolls back by itself, and nothing more is
                    // sent there (``PostgresErrors/isConnectionLost(_:)``).
                    if !connection.isClosed && !PostgresErrors.isConnectionLost(error) {
                        try? await transaction.execute("ROLLBACK")
                    }
                    throw error
                }
            }
        } catch let error as PSQLError where PostgresErrors.isRetryable(error) {
            // A deadlock or serialisation failure: ``write(_:)`` runs the transaction again.
            throw error
        } catch {
            throw PostgresErrors.map(error)
        }
    }

    /// The rows of a read-only query as text (tests look into the tables with it).
    package func rawRows(_ sql: String) async throws -> [[String]] {
        try await read { tx in
            try await tx.rows(PostgresQuery(unsafeSQL: sql)).map { row in
                try row.makeRandomAccess().map { cell in try cell.decode(String?.self) ?? "" }
            }
        }
    }

    public func dump() async throws -> [UInt8] {
        let schema = self.schema
        return try await read { tx in try await tx.dump(schema: schema) }
    }
}

/// The pool's `run()` as a task the store owns.
final class RunningClient: Sendable {
    private let task: Task<Void, Never>

    init(_ client: PostgresClient) {
        task = Task { await client.run() }
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}

/// Leasing a connection, bounded in time: a server that went away answers `unavailable`
/// instead of leaving requests waiting — before the lease (the wait for a connection is
/// bounded) and after it (the work ends when its connection closes, ``PostgresConnectionWatch``).
enum PostgresLease {
    static func with<T: Sendable>(
        _ client: PostgresClient, timeout: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let leased = LeaseFlag()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await client.withConnection { connection in
                    leased.set()
                    return try await PostgresConnectionWatch.shared.run(on: connection) { try await body(connection) }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                if leased.isSet {
                    // The work runs; only the wait for a connection is bounded.
                    try await Task.sleep(for: .seconds(86_400 * 365))
                }
                throw SyncError(.unavailable, "the hub database did not answer within \(timeout); nothing of this request was kept — retry later")
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
            }
            throw SyncError(.unavailable, "the hub database did not answer; retry later")
        }
    }
}

/// A flag set once, read from another task.
final class LeaseFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Points where tests step into the store.
package final class PostgresHooks: @unchecked Sendable {
    private let lock = NSLock()
    private var _beforePublish: (@Sendable () async -> Void)?

    /// Runs in a write transaction that merged changes, right before it numbers them.
    package var beforePublish: (@Sendable () async -> Void)? {
        get { lock.withLock { _beforePublish } }
        set { lock.withLock { _beforePublish = newValue } }
    }
}
