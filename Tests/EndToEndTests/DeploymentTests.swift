import Foundation
import Testing
import TributaryTestSupport

/// The deployment files as shipped (Scripts/deploy/): nginx's configuration passes `nginx -t`
/// on Debian 12's nginx 1.22 and serves a real hub started with the unit's and hub.env's
/// settings; stations sync through it over TLS with the county's own CA, and one client's bad
/// tokens do not lock out the others. nginx is a child process with its own files in a temp
/// dir; `.ci/run` installs `nginx-light`, `openssl` and `curl` (the tests fail under CI=true
/// without them, and are skipped elsewhere).
@Suite("Deployment files behind a real nginx", .serialized, .enabled(if: NginxFront.shouldRun, "\(NginxFront.missing ?? "")"), .ownThreads)
struct DeploymentTests {
    static let deploy = CLIRunner.root.appendingPathComponent("Scripts/deploy")

    /// The environment the shipped unit gives the hub: its `Environment=` lines, then
    /// hub.env.example (an EnvironmentFile overrides them), as systemd would.
    static func shippedEnvironment() throws -> [String: String] {
        var environment: [String: String] = [:]
        let unit = try String(contentsOf: deploy.appendingPathComponent("tributary-hub.service"), encoding: .utf8)
        for line in unit.split(separator: "\n") where line.hasPrefix("Environment=") {
            for assignment in line.dropFirst("Environment=".count).split(separator: " ") {
                let parts = assignment.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { environment[String(parts[0])] = String(parts[1]) }
            }
        }
        let file = try String(contentsOf: deploy.appendingPathComponent("hub.env.example"), encoding: .utf8)
        for line in file.split(separator: "\n") where !line.hasPrefix("#") && line.contains("=") {
            let parts = line.split(separator: "=", maxSplits: 1)
            environment[String(parts[0])] = parts.count == 2 ? String(parts[1]) : ""
        }
        return environment
    }

    /// The arguments of the unit's `ExecStart` after the executable.
    static func shippedArguments() throws -> [String] {
        let unit = try String(contentsOf: deploy.appendingPathComponent("tributary-hub.service"), encoding: .utf8)
        let line = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        return line.split(separator: " ").dropFirst().map(String.init)
    }

    /// A hub started as the unit starts it (test file and a free port instead of hub.env's),
    /// behind nginx with the shipped configuration and a certificate of a test CA.
    struct Deployment {
        let directory = TemporaryDirectory("deploy")
        let hub: HubProcess
        let certificates: TestCertificates
        let nginx: NginxFront
        let token: String

        init() throws {
            if let missing = NginxFront.missing { throw CLIRunner.Failure("CI=true but \(missing)") }
            hub = try HubProcess(database: directory.path("hub.db"))
            token = try hub.addStation(org: "yc-t01", name: "桃城镇工作站")
            var environment = try DeploymentTests.shippedEnvironment()
            environment["TRIBUTARY_HUB_DB"] = hub.database
            environment["TRIBUTARY_HUB_PORT"] = "0"
            try hub.start(arguments: try DeploymentTests.shippedArguments(), environment: environment)
            certificates = try TestCertificates(in: directory)
            nginx = try NginxFront(hubPort: hub.port, certificates: certificates, directory: directory)
            let check = try nginx.check()
            guard check.status == 0 else { throw CLIRunner.Failure("nginx -t failed: \(check.stderr)") }
            try nginx.start()
        }

        func stop() {
            nginx.stop()
            hub.stop()
        }
    }

    @Test("the shipped nginx configuration passes nginx -t (nginx 1.22: listen … ssl http2)")
    func nginxAcceptsTheShippedFile() throws {
        // Given the shipped file with this test's certificate paths and ports
        if let missing = NginxFront.missing { Issue.record("CI=true but \(missing)"); return }
        let directory = TemporaryDirectory("nginx-t")
        let nginx = try NginxFront(hubPort: 8080, certificates: try TestCertificates(in: directory), directory: directory)

        // When nginx checks it / Then it is accepted
        let result = try nginx.check()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("test is successful"), "\(result.stderr)")
    }

    @Test("the unit and hub.env bind loopback and trust X-Forwarded-For; hub.json agrees")
    func shippedSettingsAgree() throws {
        // Given the shipped settings
        let environment = try Self.shippedEnvironment()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.deploy.appendingPathComponent("hub.json"))) as? [String: Any]
        let hub = try #require(json?["hub"] as? [String: Any])
        let nginx = try String(contentsOf: Self.deploy.appendingPathComponent("nginx-tributary.conf"), encoding: .utf8)

        // Then nginx sets the header the hub trusts, and the hub listens on loopback only
        #expect(nginx.contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"))
        #expect(environment["TRIBUTARY_HUB_TRUST_FORWARDED_FOR"] == "true")
        #expect(environment["TRIBUTARY_HUB_HOST"] == "127.0.0.1")
        #expect(hub["host"] as? String == "127.0.0.1")
        #expect(hub["trustForwardedFor"] as? Bool == true)
        #expect(nginx.contains("server 127.0.0.1:\(environment["TRIBUTARY_HUB_PORT"] ?? "")"))
    }

    @Test("a station syncs through nginx over TLS, and a burst of bad tokens from one address does not lock out another")
    func stationsSyncAndAScannerLocksOutOnlyItself() throws {
        // Given the hub behind nginx, as shipped, and a station that trusts the county CA
        let deployment = try Deployment()
        defer { deployment.stop() }
        let station = StationProcess(database: deployment.directory.path("station.db"), name: "桃城镇")
        try station.ok("init", "--hub", deployment.nginx.url, "--token", deployment.token, "--ca", deployment.certificates.authority)
        try station.ok("put", "member", "m-1", "name=林秀英", "orgUnitId=yc-t01", "category=retired")

        // When it syncs / Then its change reaches the hub through TLS
        try station.ok("sync")
        #expect(try deployment.hub.ackedByStation()["桃城镇工作站"] == 3)

        // When another client (127.0.0.2) sends 70 bad tokens through the same nginx
        let curl = try #require(ExternalTool.find("curl"), "curl is not installed (apt-get install curl)")
        let url = deployment.nginx.url + "/v1/whoami"
        let burst = try ExternalTool.run(
            curl,
            ["-s", "-w", "%{http_code}\\n", "--interface", "127.0.0.2", "--cacert", deployment.certificates.authority,
             "-H", "Authorization: Bearer " + String(repeating: "0", count: 64), "-H", "Tributary-Protocol: 1",
             "-H", "Tributary-Schema: county-work/1"] + (0..<70).flatMap { _ in ["-o", "/dev/null", url] })
        let codes = burst.stdout.split(separator: "\n").map(String.init)

        // Then that client is limited (401s, then 429s; on a loaded machine the burst may last
        // long enough for the allowance to refill by one, so the tail is not fixed) …
        #expect(codes.count == 70, "\(burst.stderr)")
        #expect(codes.first == "401" && codes.contains("429") && Set(codes).isSubset(of: ["401", "429"]), "\(codes)")
        // … and the station, from its own address, still syncs
        try station.ok("put", "member", "m-2", "name=陈美玲", "orgUnitId=yc-t01", "category=retired")
        let sync = try station.run(["sync"])
        #expect(sync.status == 0, "\(sync.stderr)\n\(deployment.hub.log().suffix(1_000))")
        #expect(try deployment.hub.ackedByStation()["桃城镇工作站"] == 6)
    }

    @Test("a station behind the county's own CA: refused with a clear message without --ca, works with it, keeps it when the file moves")
    func countyCertificateAuthority() throws {
        // Given the hub behind nginx with a certificate of the county's own CA
        let deployment = try Deployment()
        defer { deployment.stop() }
        let station = StationProcess(database: deployment.directory.path("station.db"), name: "桃城镇")

        // When a station is set up without the CA / Then it is told the certificate is not trusted and about --ca
        let refused = try station.run(["init", "--hub", deployment.nginx.url, "--token", deployment.token])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("certificate") && refused.stderr.contains("--ca"), "\(refused.stderr)")
        #expect(refused.errorLines.count == 1, "\(refused.stderr)")

        // When the station trusts the CA through SSL_CERT_FILE / Then it works
        let viaEnvironment = try CLIRunner.runTool(
            name: "tributary", args: ["--db", deployment.directory.path("other.db"), "init", "--hub", deployment.nginx.url, "--token", deployment.token],
            env: ["SSL_CERT_FILE": deployment.certificates.authority])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")

        // When it is given with --ca, and the file is moved away afterwards
        let moved = deployment.directory.path("ca-copy.pem")
        try FileManager.default.copyItem(atPath: deployment.certificates.authority, toPath: moved)
        try station.ok("init", "--org", "yc-t01")
        try station.ok("remote", "set", "--hub", deployment.nginx.url, "--token", deployment.token, "--ca", moved)
        try FileManager.default.removeItem(atPath: moved)
        try station.ok("put", "member", "m-9", "name=林秀英", "orgUnitId=yc-t01", "category=retired")

        // Then every request uses the CA kept in the replica: sync and digest work
        try station.ok("sync")
        let (local, hub) = try station.digests()
        #expect(!local.isEmpty && local == hub)
        #expect(try station.run(["remote", "show", "--json"]).jsonObject()["ca"] as? String == "set")
    }
}
