import Foundation

/// The PostgreSQL server the comparison runs on, reached through `psql` with the URL given
/// by `--postgres`: a fresh database per measurement, the server's own CPU (its postmaster
/// and every backend, exited ones included) and, when the server preloads it,
/// `pg_stat_statements` for which statements took the time.
struct PostgresServer: Sendable {
    /// A database URL of the server (libpq URI form; `?host=DIR` for a unix socket).
    let url: String
    /// The postmaster's process id (from `postmaster.pid` in the data directory), when the
    /// server runs on this machine and its data directory can be read.
    let postmaster: Int32?
    /// Whether `pg_stat_statements` is loaded and its view can be read.
    let statements: Bool

    /// Connects once: reads the data directory (for the postmaster's pid) and creates the
    /// `pg_stat_statements` extension in the URL's database when the server preloads it.
    init(url: String) throws {
        self.url = url
        guard let directory = try? Self.psql(url, "SHOW data_directory").trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw BenchError("psql cannot reach the PostgreSQL server at \(url)")
        }
        let pidFile = (try? String(contentsOfFile: directory + "/postmaster.pid", encoding: .utf8)) ?? ""
        postmaster = pidFile.split(separator: "\n").first.flatMap { Int32($0) }
        let preload = (try? Self.psql(url, "SHOW shared_preload_libraries")) ?? ""
        statements = preload.contains("pg_stat_statements") && (try? Self.psql(url, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")) != nil
    }

    /// `PostgreSQL 15.18; settings: name=value, …` — the version and every setting not at its default.
    func describe() -> String {
        let version = ((try? Self.psql(url, "SHOW server_version")) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
        let settings = (try? Self.psql(url, """
            SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings
            WHERE (source NOT IN ('default', 'override', 'client', 'session')
                   AND name NOT IN ('port', 'listen_addresses', 'data_directory', 'config_file', 'hba_file', 'ident_file', 'unix_socket_directories',
                                    'DateStyle', 'TimeZone', 'log_timezone', 'default_text_search_config', 'dynamic_shared_memory_type')
                   AND name NOT LIKE 'lc\\_%')
               OR name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'checkpoint_timeout')
            """)) ?? "?"
        return "PostgreSQL \(version); settings (durability ones and those not at their defaults): \(settings.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    /// Creates a fresh database on the server and returns its URL.
    func createDatabase() throws -> String {
        let name = "bench_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try Self.psql(url, "CREATE DATABASE \(name)")
        let base = url.prefix { $0 != "?" }
        let query = url.dropFirst(base.count)
        guard let scheme = base.range(of: "://"), let slash = base.range(of: "/", options: .backwards, range: scheme.upperBound..<base.endIndex) else {
            throw BenchError("no database name in \(url)")
        }
        return base[..<slash.upperBound] + name + query
    }

    /// Drops a database made by ``createDatabase()`` (its hubs stopped), so that a full run
    /// does not fill the disk.
    func dropDatabase(_ databaseURL: String) {
        guard let name = databaseURL.prefix(while: { $0 != "?" }).split(separator: "/").last, name.hasPrefix("bench_") else { return }
        _ = try? Self.psql(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// CPU seconds the server has used so far: the postmaster's own and its reaped children's
    /// (backends that have exited), plus every live child's. 0 when the postmaster is unknown.
    func cpuSeconds() -> Double {
        guard let postmaster else { return 0 }
        var total = ProcStat(pid: postmaster).map { $0.user + $0.system + $0.childrenUser + $0.childrenSystem } ?? 0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = ProcStat(pid: pid), stat.parent == postmaster else { continue }
            total += stat.user + stat.system
        }
        return total
    }

    /// Forgets the statement statistics gathered so far (before a measurement).
    func resetStatements() {
        guard statements else { return }
        _ = try? Self.psql(url, "SELECT pg_stat_statements_reset()")
    }

    /// The statements that took the most execution time since the last reset, as
    /// `41 % SELECT … (12,345 calls)`, the `count` largest, joined by "; ".
    func topStatements(_ count: Int = 3) -> String? {
        guard statements,
            let text = try? Self.psql(url, """
                SELECT round(100 * total_exec_time / nullif(sum(total_exec_time) OVER (), 0))::int || ' % ' ||
                       left(regexp_replace(query, '\\s+', ' ', 'g'), 90) || ' (' || calls || ' calls)'
                FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
                ORDER BY total_exec_time DESC LIMIT \(count)
                """)
        else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        return lines.isEmpty ? nil : lines.joined(separator: "; ")
    }

    /// Runs one statement through `psql -At` and returns its output.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("psql failed on: \(sql.prefix(60))") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The fields of /proc/PID/stat the benchmarks read: parent, and CPU seconds (own and reaped children's).
struct ProcStat {
    var parent: Int32
    var user: Double
    var system: Double
    var childrenUser: Double
    var childrenSystem: Double

    init?(pid: Int32) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        // After the command: state (field 3), ppid (4), …, utime (14), stime (15), cutime (16), cstime (17).
        let fields = text[text.index(after: close)...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard fields.count > 14, let parent = Int32(fields[1]), let user = Double(fields[11]), let system = Double(fields[12]),
            let childrenUser = Double(fields[13]), let childrenSystem = Double(fields[14])
        else { return nil }
        self.parent = parent
        self.user = user / ticks
        self.system = system / ticks
        self.childrenUser = childrenUser / ticks
        self.childrenSystem = childrenSystem / ticks
    }
}
