import Foundation
import SyncModel
import Testing
import TributaryTestSupport

/// Operating a hub: versions, strict settings, the serve lock against a restore, commands run
/// where there is no hub, and the modes of the files the hub creates.
@Suite("Hub operations (processes)", .ownThreads)
struct HubOperationsTests {
    @Test("both binaries print the one version string", arguments: ["tributary", "tributary-hub"])
    func version(_ tool: String) throws {
        let result = try CLIRunner.runTool(name: tool, args: ["--version"])
        #expect(result.status == 0 && result.output == SoftwareVersion.current, "\(result.stdout)\(result.stderr)")
    }

    @Test(
        "serve --config refuses a value of the wrong type or an unknown key, naming it",
        arguments: [
            (#"{"hub": {"port": "eighty"}}"#, #""hub.port" must be a whole number; got the string "eighty""#),
            (#"{"hub": {"trustForwardedFor": "yes"}}"#, #""hub.trustForwardedFor" must be true or false"#),
            (#"{"hub": {"prot": 8080}}"#, #"unknown key "hub.prot""#),
            (#"{"server": {"port": 8080}}"#, #"unknown key "server""#),
        ])
    func badConfigurationFiles(_ json: String, _ expected: String) throws {
        // Given a configuration file with a mistake (and a hub file in a folder that does not
        // exist, so that a hub that ignored the mistake would fail later, not serve)
        let directory = TemporaryDirectory("config")
        let file = directory.path("hub.json")
        try json.write(toFile: file, atomically: true, encoding: .utf8)

        // When the hub is started with it
        let result = try CLIRunner.runTool(
            name: "tributary-hub", args: ["serve", "--config", file, "--db", directory.path("missing/hub.db"), "--port", "0"])

        // Then it exits 1 with one line naming the key
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1 && result.firstErrorLine.hasPrefix("error: bad_request: "), "\(result.stderr)")
        #expect(result.firstErrorLine.contains(expected), "\(result.stderr)")
    }

    @Test("a TRIBUTARY_HUB_ variable of the wrong type or unknown name is refused, naming it")
    func badEnvironment() throws {
        let directory = TemporaryDirectory("config-env")
        let args = ["serve", "--db", directory.path("missing/hub.db"), "--port", "0"]
        let wrongType = try CLIRunner.runTool(name: "tributary-hub", args: args, env: ["TRIBUTARY_HUB_RATE_BURST": "lots"])
        #expect(wrongType.status == 1 && wrongType.firstErrorLine.contains("TRIBUTARY_HUB_RATE_BURST must be a whole number"), "\(wrongType.stderr)")
        let typo = try CLIRunner.runTool(name: "tributary-hub", args: args, env: ["TRIBUTARY_HUB_TRUST_FORWARDED": "true"])
        #expect(typo.status == 1 && typo.firstErrorLine.contains("unknown setting TRIBUTARY_HUB_TRUST_FORWARDED"), "\(typo.stderr)")
    }

    @Test("the shipped hub.json is accepted")
    func shippedConfigurationIsValid() throws {
        // Given the shipped file, with the hub file in a folder that does not exist
        let file = CLIRunner.root.appendingPathComponent("Scripts/deploy/hub.json").path
        let directory = TemporaryDirectory("config-shipped")
        // When the hub reads it / Then it gets past the settings to the missing hub file
        let result = try CLIRunner.runTool(name: "tributary-hub", args: ["serve", "--config", file, "--db", directory.path("hub.db")])
        #expect(result.status == 1 && result.firstErrorLine.hasPrefix("error: not_found: no hub database at"), "\(result.stderr)")
    }

    @Test("restore is refused while a hub serves the file, and works once it has stopped")
    func restoreRefusedWhileServing() throws {
        // Given a serving hub and a backup of it
        let directory = TemporaryDirectory("restore-lock")
        let hub = try HubProcess(database: directory.path("hub.db"))
        try hub.start()
        defer { hub.stop() }
        let backup = directory.path("backup.db")
        let copy = try CLIRunner.runTool(name: "tributary-hub", args: ["backup", "--db", hub.database, "--out", backup])
        #expect(copy.status == 0, "\(copy.stderr)")

        // When the backup is restored onto the live file
        let refused = try CLIRunner.runTool(name: "tributary-hub", args: ["restore", "--db", hub.database, "--from", backup])

        // Then it is refused with a clear line, and the live file stays where it is
        #expect(refused.status == 1)
        #expect(refused.firstErrorLine.hasPrefix("error: busy: ") && refused.firstErrorLine.contains("stop the hub first"), "\(refused.stderr)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.contains("replaced") }
        #expect(aside.isEmpty)
        // And a second hub on the same file is refused too
        let second = try CLIRunner.runTool(name: "tributary-hub", args: ["serve", "--db", hub.database, "--port", "0"])
        #expect(second.status == 1 && second.firstErrorLine.hasPrefix("error: busy: "), "\(second.stderr)")

        // When the hub has stopped / Then the restore goes ahead
        hub.stop()
        let restored = try CLIRunner.runTool(name: "tributary-hub", args: ["restore", "--db", hub.database, "--from", backup])
        #expect(restored.status == 0, "\(restored.stderr)")
    }

    @Test(
        "commands run where there is no hub say so and leave no hub.db behind",
        arguments: [
            ["station", "list"], ["station", "add", "--org", "yc", "--name", "x"], ["station", "revoke", "st-000000000000"],
            ["org", "list"], ["admin-token", "--name", "x"], ["admin-token", "list"], ["report", "members"], ["dump"], ["digest"],
            ["compact", "--retention-days", "30"], ["backup", "--out", "copy.db"], ["export", "--station", "st-1", "--out", "x.tbundle"],
        ])
    func noHubHere(_ command: [String]) throws {
        // Given an empty folder
        let directory = TemporaryDirectory("no-hub")
        let database = directory.path("hub.db")

        // When an admin command runs there
        let result = try CLIRunner.runTool(name: "tributary-hub", args: ["--db", database] + command)

        // Then it says there is no hub, and creates none
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.firstErrorLine == "error: not_found: no hub database at \(database); create one with tributary-hub init or org import", "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    @Test("init and org import create a hub; init refuses an existing one")
    func commandsThatCreateAHub() throws {
        let directory = TemporaryDirectory("create-hub")
        let created = try CLIRunner.runTool(name: "tributary-hub", args: ["--db", directory.path("a.db"), "init"])
        #expect(created.status == 0 && FileManager.default.fileExists(atPath: directory.path("a.db")), "\(created.stderr)")
        let again = try CLIRunner.runTool(name: "tributary-hub", args: ["--db", directory.path("a.db"), "init"])
        #expect(again.status == 1 && again.firstErrorLine.contains("already exists"), "\(again.stderr)")
        #expect(try CLIRunner.runTool(name: "tributary-hub", args: ["--db", directory.path("a.db"), "station", "list"]).status == 0)
        _ = try HubProcess(database: directory.path("b.db"))
        #expect(FileManager.default.fileExists(atPath: directory.path("b.db")))
    }

    @Test("the files the hub creates are readable by its owner only, even under umask 022")
    func filesArePrivate() throws {
        // Given a shell whose umask lets everyone read new files
        let directory = TemporaryDirectory("modes")
        let hub = try CLIRunner.executable("tributary-hub").path
        let sample = CLIRunner.root.appendingPathComponent("Protocol/examples/sample-county.csv").path
        let database = directory.path("hub.db")
        let script = """
            umask 022
            set -e
            "$HUB" --db "$DB" org import "$SAMPLE" >/dev/null
            ID=$("$HUB" --db "$DB" station add --org yc-t01 --name t1 --json | sed -n 's/.*"id" *: *"\\([^"]*\\)".*/\\1/p')
            "$HUB" --db "$DB" backup --out "$DIR/backup.db" >/dev/null
            "$HUB" --db "$DB" export --station "$ID" --out "$DIR/reply.tbundle" >/dev/null
            touch "$DIR/control"
            """
        let result = try ExternalTool.run(
            "/bin/sh", ["-c", script], env: ["HUB": hub, "DB": database, "SAMPLE": sample, "DIR": directory.url.path])
        #expect(result.status == 0, "\(result.stderr)")

        // Then what the hub made is 0600, while the shell's own file is 0644 (the umask held)
        func mode(_ name: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: directory.path(name))[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode("control") == 0o644)
        for name in ["hub.db", "backup.db", "reply.tbundle"] {
            #expect(try mode(name) == 0o600, "\(name)")
        }
        for name in ["hub.db-wal", "hub.db-shm"] where FileManager.default.fileExists(atPath: directory.path(name)) {
            #expect(try mode(name) == 0o600, "\(name)")
        }
    }
}
