public import Foundation

/// A throw-away PostgreSQL cluster for the tests of one process: `initdb` and `pg_ctl` from
/// /usr/lib/postgresql/*/bin (under `runuser -u postgres` when run as root: the server will
/// not run as root) in a temp dir, listening on a unix socket in that dir and on a free
/// loopback port. Started on first use, stopped at process exit. Each test asks for a
/// database of its own (``newDatabase(_:)``).
///
/// When `TRIBUTARY_TEST_POSTGRES_DIR` and `TRIBUTARY_TEST_POSTGRES_PORT` are set (`.ci/run`
/// starts a cluster that way: data in `<dir>/data`, socket in `<dir>`), that cluster is used
/// instead and left running.
///
/// Locally the PostgreSQL tests skip when no server can start (``unavailableReason`` says
/// why); with `CI=true` they fail instead (``requireOrSkip()``).
public final class PostgresTestServer: Sendable {
    /// The cluster's directory (holds the socket `.s.PGSQL.<port>`).
    public let directory: String
    /// The port (the socket's number; the cluster this type starts also listens on it on 127.0.0.1).
    public let port: Int
    /// The PostgreSQL binaries' directory.
    public let binaries: String

    private static let started: Result<PostgresTestServer, PostgresTestServerError> = start()
    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLock()

    /// The cluster, started on first use; `nil` when it cannot start here.
    public static var shared: PostgresTestServer? { try? started.get() }

    /// Why the cluster cannot start, when it cannot.
    public static var unavailableReason: String? {
        if case .failure(let error) = started { return error.reason }
        return nil
    }

    /// Whether PostgreSQL tests run: the server started, or CI requires them (and they fail).
    public static var shouldRun: Bool {
        shared != nil || isCI
    }

    /// Whether this run is CI's (`CI=true`), where a missing server is a failure.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The cluster, or an error naming why it is missing.
    public static func require() throws -> PostgresTestServer {
        try started.get()
    }

    /// ``newDatabase(_:)`` on a thread of its own: `createdb` is waited for off the concurrency
    /// pool, whose few threads run the in-process hubs of other tests meanwhile.
    public func newDatabaseOffPool(_ prefix: String = "t") async throws -> String {
        try await Self.offPool { try self.newDatabase(prefix) }
    }

    /// Runs blocking `work` (spawning and waiting for processes) on a thread of its own.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// A fresh, empty database; returns its URL (over the unix socket).
    public func newDatabase(_ prefix: String = "t") throws -> String {
        let name = Self.lock.withLock { () -> String in
            Self.counter += 1
            return "\(prefix)_\(ProcessInfo.processInfo.processIdentifier)_\(Self.counter)"
        }
        try Self.run(binaries + "/createdb", ["-h", directory, "-p", String(port), "-U", "postgres", name], asPostgres: false)
        return url(name)
    }

    /// Runs SQL on database `name` with `psql` (stops at the first error).
    public func psql(_ name: String, _ sql: String) throws {
        try Self.run(
            binaries + "/psql", ["-h", directory, "-p", String(port), "-U", "postgres", "-d", name, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
            asPostgres: false)
    }

    /// The URL of database `name` over the unix socket.
    public func url(_ name: String) -> String {
        "postgres://postgres@localhost:\(port)/\(name)?host=\(directory)"
    }

    private init(directory: String, port: Int, binaries: String) {
        self.directory = directory
        self.port = port
        self.binaries = binaries
    }

    private static func start() -> Result<PostgresTestServer, PostgresTestServerError> {
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["TRIBUTARY_TEST_POSTGRES_DIR"], let port = environment["TRIBUTARY_TEST_POSTGRES_PORT"].flatMap(Int.init) {
            return started(directory: directory, port: port)
        }
        let result = startCluster()
        if case .success(let server) = result {
            stopAtExit = server
            atexit {
                PostgresTestServer.stopAtExit?.stop()
            }
        }
        return result
    }

    /// A cluster of the caller's own (a test that restarts its server): stop it with ``stop()``.
    public static func startPrivate() throws -> PostgresTestServer {
        try startCluster().get()
    }

    /// Stops the cluster at once and removes its files.
    public func stop() {
        try? Self.run(binaries + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"], asPostgres: true)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the cluster abruptly (`-m immediate`: what a crash or a power cut leaves) and starts
    /// it again on the same socket and port.
    public func restart() throws {
        try Self.run(binaries + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"], asPostgres: true)
        try Self.run(binaries + "/pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60", "start"], asPostgres: true)
    }

    /// initdb and pg_ctl start in a new temp dir.
    private static func startCluster() -> Result<PostgresTestServer, PostgresTestServerError> {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted(by: >) ?? []
        guard let version = versions.first(where: { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }) else {
            return .failure(PostgresTestServerError(reason: "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; Debian: apt-get install postgresql)"))
        }
        let binaries = "/usr/lib/postgresql/\(version)/bin"
        let directory = "/tmp/tributary-pg-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6))"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if getuid() == 0 {
                try run("/bin/chown", ["postgres:postgres", directory], asPostgres: false)
            }
            let port = try FreePort.find()
            try run(binaries + "/initdb", ["-D", directory + "/data", "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "-N"], asPostgres: true)
            // In postgresql.conf (not on pg_ctl's command line), so that a restart keeps them.
            let settings = "unix_socket_directories = '\(directory)'\nport = \(port)\nlisten_addresses = '127.0.0.1'\nfsync = off\nmax_connections = 200\nshared_buffers = 64MB\n"
            let conf = FileHandle(forWritingAtPath: directory + "/data/postgresql.conf")
            conf?.seekToEndOfFile()
            conf?.write(Data(settings.utf8))
            try conf?.close()
            try run(binaries + "/pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60", "start"], asPostgres: true)
            return .success(PostgresTestServer(directory: directory, port: port, binaries: binaries))
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            return .failure(PostgresTestServerError(reason: "a PostgreSQL test cluster could not start: \(error)"))
        }
    }

    nonisolated(unsafe) private static var stopAtExit: PostgresTestServer?

    /// The cluster someone else started (`.ci/run`), checked by connecting to it.
    private static func started(directory: String, port: Int) -> Result<PostgresTestServer, PostgresTestServerError> {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted(by: >) ?? []
        guard let version = versions.first(where: { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/pg_isready") }) else {
            return .failure(PostgresTestServerError(reason: "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin; Debian: apt-get install postgresql)"))
        }
        let binaries = "/usr/lib/postgresql/\(version)/bin"
        do {
            try run(binaries + "/pg_isready", ["-h", directory, "-p", String(port), "-U", "postgres", "-t", "10"], asPostgres: false)
        } catch {
            return .failure(PostgresTestServerError(reason: "the PostgreSQL cluster in TRIBUTARY_TEST_POSTGRES_DIR (\(directory), port \(port)) does not answer: \(error)"))
        }
        return .success(PostgresTestServer(directory: directory, port: port, binaries: binaries))
    }

    /// Runs a PostgreSQL tool, as the `postgres` user when this process is root and `asPostgres`.
    /// Spawned and reaped directly (posix_spawn, waitpid): the server `pg_ctl` starts lives on,
    /// and the tool may run while a static initialiser holds its lock.
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool) throws {
        let argv = asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let outputPath = NSTemporaryDirectory() + "pg-tool-\(UUID().uuidString.prefix(8)).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else {
            throw PostgresTestServerError(reason: "could not start \(argv[0]): error \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw PostgresTestServerError(reason: "\((executable as NSString).lastPathComponent) failed (\(code)): \(text.suffix(400))")
        }
    }
}

/// Why the PostgreSQL test cluster is missing.
public struct PostgresTestServerError: Error, CustomStringConvertible {
    /// The reason, in one sentence.
    public var reason: String
    public var description: String { reason }
}

/// A free TCP port on 127.0.0.1 (bound and released; good enough for a test server).
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresTestServerError(reason: "no socket for a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PostgresTestServerError(reason: "could not bind a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
