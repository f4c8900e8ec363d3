import Foundation
import Testing
import TributaryTestSupport

/// The shipped systemd unit (Scripts/deploy/tributary-hub.service) is hardened: it rates 2.5 or
/// better with `systemd-analyze security` where systemd-analyze exists, and carries the settings
/// that keep personal data private whatever systemd's version.
@Suite(.ownThreads) struct DeploymentUnitTests {
    static let unit = CLIRunner.root.appendingPathComponent("Scripts/deploy/tributary-hub.service").path

    @Test("the unit keeps files private, runs unprivileged and leaves only its state directory writable")
    func unitSettings() throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map(String.init))
        for setting in [
            "User=tributary", "UMask=0077", "ProtectSystem=strict", "StateDirectory=tributary", "ReadWritePaths=/var/lib/tributary",
            "NoNewPrivileges=true", "PrivateTmp=true", "ProtectHome=true", "CapabilityBoundingSet=", "SystemCallFilter=@system-service",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "LimitNOFILE=65536", "ExecStart=/usr/local/bin/tributary-hub serve",
        ] {
            #expect(lines.contains(setting), "missing \(setting)")
        }
    }

    @Test(
        "systemd-analyze security rates the unit 2.5 or better",
        .enabled(if: ExternalTool.find("systemd-analyze") != nil, "systemd-analyze is not installed"))
    func exposure() throws {
        // --threshold is on a 0–100 scale: 25 is an exposure of 2.5 (exit 1 above it)
        let result = try ExternalTool.run(
            ExternalTool.find("systemd-analyze")!, ["security", "--offline=true", "--threshold=25", "--no-pager", Self.unit])
        let overall = (result.stdout + result.stderr).split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        #expect(result.status == 0, "\(overall)\n\(result.stderr.suffix(500))")
        print("systemd-analyze: \(overall)")
    }
}
