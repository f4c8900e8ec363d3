import Foundation
import TributaryTestSupport

/// The soak's own throw-away PostgreSQL cluster (``PostgresTestServer/startPrivate()``:
/// `initdb` and `pg_ctl` in a temp dir, as the `postgres` user when run as root) and the one
/// database the hub processes share. Restarted during the run; stopped and removed at the end.
final class SoakPostgres: Sendable {
    let server: PostgresTestServer
    /// The hub database's URL (`--db` of every `tributary-hub` subcommand).
    let url: String
    private let name: String
    private let scratch: URL

    private init(server: PostgresTestServer, url: String, name: String, scratch: URL) {
        self.server = server
        self.url = url
        self.name = name
        self.scratch = scratch
    }

    /// Starts a new cluster and creates the hub's database. Output of `psql` goes to `scratch`.
    static func start(scratch: URL) async throws -> SoakPostgres {
        let server: PostgresTestServer
        do {
            server = try await PostgresTestServer.offPool { try PostgresTestServer.startPrivate() }
        } catch {
            throw SoakFailure("no PostgreSQL cluster for --postgres: \(error)")
        }
        SoakCleanup.add(server) { server.stop() }
        do {
            let url = try await server.newDatabaseOffPool("soak")
            let name = URLComponents(string: url)?.path.split(separator: "/").first.map(String.init) ?? ""
            return SoakPostgres(server: server, url: url, name: name, scratch: scratch)
        } catch {
            SoakCleanup.remove(server)
            server.stop()
            throw error
        }
    }

    /// Restarts the server under the running hubs: `immediate` (as a crash leaves it) or `fast`.
    func restart(mode: String) async throws {
        try await PostgresTestServer.offPool { try self.server.restart(mode: mode) }
    }

    /// Stops the server at once and removes its files.
    func stop() async {
        SoakCleanup.remove(server)
        _ = try? await PostgresTestServer.offPool { self.server.stop() }
    }

    /// Runs a query that returns one JSON value (an array) through `psql`, and parses it.
    func queryJSON(_ sql: String) async throws -> [Any] {
        let process = try ToolProcess(
            executable: URL(fileURLWithPath: server.binaries + "/psql"),
            args: ["-h", server.directory, "-p", String(server.port), "-U", "postgres", "-d", name, "-X", "-A", "-t", "-q",
                "-v", "ON_ERROR_STOP=1", "-c", sql],
            scratch: scratch, name: "psql-\(UUID().uuidString.prefix(8))")
        let exit = await process.wait()
        guard exit.succeeded, let array = try? JSONSerialization.jsonObject(with: Data(exit.stdout.utf8)) as? [Any] else {
            throw SoakFailure("psql failed (\(exit.status)): \(exit.stderr.suffix(300))")
        }
        return array
    }
}
