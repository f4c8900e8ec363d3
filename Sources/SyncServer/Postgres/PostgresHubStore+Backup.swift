public import SyncModel
import Foundation
import PostgresNIO

/// Backups of a PostgreSQL hub with PostgreSQL's own tools: `pg_dump --format=custom` while
/// the hub serves (one consistent snapshot), and `pg_restore` into the hub's database
/// followed by a new log epoch (SPEC §14), so that stations notice the restore.
extension PostgresHubStore {
    public func backup(to path: String) async throws -> BackupReport {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SyncError(.storeInvalid, "\(path) already exists; a backup never overwrites a file")
        }
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        let epoch = try await self.epoch()
        let cursor = try await read { tx in try await Self.begin(tx).lastPosition }
        try PostgresTools.run("pg_dump", ["--format=custom", "--no-owner", "--file=\(partial)"], location: location)
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        // The copy keeps the live epoch; `restore` gives the database a new one.
        return BackupReport(path: path, bytes: size, cursor: cursor, epoch: epoch, backupEpoch: "")
    }

    /// Restores a `pg_dump --format=custom` file into the (empty or hub) database at
    /// `location` with `pg_restore --clean --if-exists`, then renews the log epoch. No hub
    /// process may be serving the database meanwhile.
    public static func restore(from backup: String, to location: PostgresLocation, schema: Schema) async throws -> RestoreReport {
        guard FileManager.default.fileExists(atPath: backup) else {
            throw SyncError(.notFound, "there is no backup file at \(backup)")
        }
        try PostgresTools.run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", backup], location: location)
        let store = try await open(location, schema: schema)
        do {
            let epoch = try await store.renewEpoch()
            let (cursor, stations) = try await store.read { tx in
                (try await Self.begin(tx).lastPosition, Int(try await tx.rows("SELECT count(*) FROM stations").first?.decode(Int64.self) ?? 0))
            }
            await store.close()
            return RestoreReport(path: location.description, replacedMovedTo: nil, cursor: cursor, epoch: epoch, stations: stations)
        } catch {
            await store.close()
            throw error
        }
    }
}

/// PostgreSQL's command-line tools, run against a ``PostgresLocation``.
enum PostgresTools {
    /// Runs `tool` (from PATH or /usr/lib/postgresql/*/bin) with `arguments` and the
    /// location's connection; `store_invalid` with the tool's first error line when it fails.
    static func run(_ tool: String, _ arguments: [String], location: PostgresLocation) throws {
        guard let executable = find(tool) else {
            throw SyncError(.notFound, "\(tool) is not installed; install PostgreSQL's client tools (Debian: postgresql-client)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let host = location.socketDirectory ?? location.host
        process.arguments = arguments + ["--dbname=host=\(host) port=\(location.port) user=\(location.user) dbname=\(location.database)"]
        var environment = ProcessInfo.processInfo.environment
        if let password = location.password { environment["PGPASSWORD"] = password }
        environment["PGCONNECT_TIMEOUT"] = String(location.connectTimeoutSeconds)
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let line = message.split(separator: "\n").first.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw SyncError(.storeInvalid, "\(tool) failed: \(line)")
        }
    }

    static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var candidates = path.split(separator: ":").map { "\($0)/\(tool)" }
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            candidates += versions.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin/\(tool)" }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
