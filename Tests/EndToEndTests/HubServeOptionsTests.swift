import Foundation
import Testing
import TributaryTestSupport

/// `tributary-hub serve` refuses settings it cannot run with, in one clear line, before it
/// opens anything.
@Suite(.ownThreads) struct HubServeOptionsTests {
    @Test(arguments: [
        (["--max-concurrent-syncs", "0"], "error: bad_request: --max-concurrent-syncs is at least 1"),
        (["--rate-burst", "0"], "error: bad_request: --rate-burst and --failed-auth-burst are at least 1"),
        (["--rate-limit=-1"], "error: bad_request: --rate-limit and --failed-auth-limit are 0 (off)"),
        (["--log-level", "loud"], "error: bad_request: log level \"loud\" is not one of"),
        (["--header-timeout", "0"], "error: bad_request: --header-timeout is a number of seconds above 0"),
        (["--min-body-rate", "0"], "error: bad_request: --min-body-rate is at least 1 byte per second"),
        (["--max-connections-per-address=-1"], "error: bad_request: --max-connections-per-address is 0 (no cap) or more"),
    ])
    func badSettingsAreRefused(_ flags: [String], _ expected: String) throws {
        // Given a hub file
        let directory = TemporaryDirectory("serve-options")
        let database = directory.path("hub.db")

        // When the hub is started with a setting it cannot run with
        let result = try CLIRunner.runTool(name: "tributary-hub", args: ["serve", "--db", database, "--port", "0"] + flags)

        // Then it exits at once with the code and the reason
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.errorLines.last?.hasPrefix(expected) == true, "\(result.stderr)")
        #expect(!result.stdout.contains("listening"))
    }
}
