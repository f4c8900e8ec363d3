import Foundation
import Testing
import TributaryTestSupport

/// `tributary-hub` commands on a `postgres://` database: an unreachable server or a malformed
/// URL is one line on stderr (the password never shown), and backup/restore go through
/// pg_dump/pg_restore and give the database a new log epoch (SPEC §14).
@Suite("tributary-hub on PostgreSQL", .serialized, .ownThreads)
struct PostgresCommandTests {
    @Test func anUnreachableServerIsOneLineWithoutThePassword() throws {
        // Given a URL whose server does not listen (port 1 on loopback)
        let url = "postgres://hub:s3cret-pw@127.0.0.1:1/tributary?connect_timeout=2"

        // When a command runs on it
        let result = try CLIRunner.runTool(name: "tributary-hub", args: ["station", "list", "--db", url])

        // Then it exits 1 with one `unavailable` line that does not show the password
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("error: unavailable: ") == true, "\(result.stderr)")
        #expect(!result.stderr.contains("s3cret-pw"))
    }

    @Test func aMalformedURLIsABadRequest() throws {
        let result = try CLIRunner.runTool(name: "tributary-hub", args: ["digest", "--db", "postgres://hub@/"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: bad_request: "), "\(result.stderr)")
    }

    @Test(.enabled(if: PostgresTestServer.shouldRun, "needs PostgreSQL: \(PostgresTestServer.unavailableReason ?? "")"))
    func backupAndRestoreRenewTheEpoch() async throws {
        // The tools are waited for off the concurrency pool; checked here.
        let seen = try await CLIRunner.offPool { try Self.backupAndRestore() }
        #expect(seen.restored.contains("new epoch"))
        #expect(seen.digestAfter == seen.digestBefore)
        #expect(seen.stationsAfter.contains("桃城镇") && !seen.stationsAfter.contains("五里街镇"))
        #expect(!seen.epochAfter.isEmpty && seen.epochAfter != seen.epochBefore)
        #expect(seen.epochRenewed != seen.epochAfter)
    }

    struct BackupObserved: Sendable {
        var restored = "", digestBefore = "", digestAfter = "", stationsAfter = "", epochBefore = "", epochAfter = "", epochRenewed = ""
    }

    static func backupAndRestore() throws -> BackupObserved {
        var seen = BackupObserved()
        // Given a hub on PostgreSQL with the sample county and a station
        let directory = TemporaryDirectory("pg-backup")
        let url = try PostgresTestServer.require().newDatabase("backup")
        let hub = try HubProcess(database: url, logPath: directory.path("hub.log"))
        _ = try hub.addStation(org: "yc-t01", name: "桃城镇")
        seen.epochBefore = try Self.ok(["epoch", "show", "--db", url])
        seen.digestBefore = try Self.ok(["digest", "--db", url])

        // When it is backed up (pg_dump), a station is added, and the backup restored (pg_restore)
        let dump = directory.path("hub.dump")
        _ = try Self.ok(["backup", "--out", dump, "--db", url])
        _ = try hub.addStation(org: "yc-t02", name: "五里街镇")
        seen.restored = try Self.ok(["restore", "--from", dump, "--db", url])

        // Then the database holds what the backup held, under a new epoch; and `epoch renew`
        // (after a restore by other means) gives yet another
        seen.digestAfter = try Self.ok(["digest", "--db", url])
        seen.stationsAfter = try Self.ok(["station", "list", "--db", url])
        seen.epochAfter = try Self.ok(["epoch", "show", "--db", url])
        _ = try Self.ok(["epoch", "renew", "--db", url])
        seen.epochRenewed = try Self.ok(["epoch", "show", "--db", url])
        return seen
    }

    @Test(.enabled(if: PostgresTestServer.shouldRun, "needs PostgreSQL: \(PostgresTestServer.unavailableReason ?? "")"))
    func initCreatesTheTablesOnceAndShowsNoPassword() async throws {
        // Given an empty database, named with a password in the URL
        let url = try await PostgresTestServer.require().newDatabaseOffPool("init")
            .replacingOccurrences(of: "postgres@", with: "postgres:pw-not-shown@")

        // When the hub is created there, given an org tree, and created again
        let (created, again) = try await CLIRunner.offPool {
            let created = try Self.ok(["init", "--db", url])
            _ = try Self.ok(["org", "import", CLIRunner.root.appendingPathComponent("Protocol/examples/sample-county.csv").path, "--db", url])
            return (created, try CLIRunner.runTool(name: "tributary-hub", args: ["init", "--db", url]))
        }

        // Then the first says so without the password, and the second is refused
        #expect(created.hasPrefix("created the hub postgres://postgres:") && !created.contains("pw-not-shown"), "\(created)")
        #expect(again.status == 1 && again.stderr.hasPrefix("error: store_invalid: "), "\(again.stderr)")
        #expect(!again.stderr.contains("pw-not-shown"))
    }

    /// Runs `tributary-hub ARGS…`, expecting exit 0; returns its stdout.
    static func ok(_ args: [String]) throws -> String {
        let result = try CLIRunner.runTool(name: "tributary-hub", args: args)
        guard result.status == 0 else { throw CLIRunner.Failure("tributary-hub \(args.joined(separator: " ")): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
