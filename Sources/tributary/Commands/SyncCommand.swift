import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import SyncClient
import SyncModel

/// `tributary sync`: one round with the hub, a dry run, or periodic rounds.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync with the hub: push the outbox, then pull what changed (bootstrapping a new replica).",
        discussion: """
            The refused changes are kept, marked with the hub's reason, and shown by \
            `tributary status` and `tributary log`; fix them and write them again.

            Exit status (a script can tell a failed round from a done one):
              0  done: pushed and pulled, nothing refused
              6  done, but the hub refused some changes (see `tributary log`)
              1  failed: any other error (one line on stderr)
              3  failed: the hub could not be reached (changes stay in the outbox)
              4  failed: the hub refused the round (token, protocol, schema, site, clock)
              5  failed: rate-limited (429): the message says how many seconds to wait

            Examples:
              tributary sync
              tributary sync --dry-run
              tributary sync --watch --interval 300
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Show what would be pushed, without contacting the hub.")
    var dryRun = false

    @Flag(help: "Keep syncing every --interval seconds until SIGTERM or SIGINT.")
    var watch = false

    @Option(help: ArgumentHelp("Seconds between rounds with --watch.", valueName: "SECONDS"))
    var interval: Double = 300

    @Option(help: ArgumentHelp("Seconds to wait for the hub's answer to one request.", valueName: "SECONDS"))
    var timeout: Double = 60

    @Flag(help: "Log what the engine does to stderr.")
    var verbose = false

    func validate() throws {
        guard interval >= 1 else { throw ValidationError("--interval is at least 1 second") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if dryRun && watch { throw ValidationError("--dry-run and --watch do not go together") }
    }

    func run() async throws {
        let station = try station.open()
        var logger = Logger(label: "tributary.sync") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = verbose ? .info : .error
        let engine = try station.syncEngine(
            transport: try station.httpTransport(timeout: timeout), logger: logger)

        if dryRun {
            let pending = try engine.pending()
            if output.json {
                try JSONOutput.print(pending)
            } else {
                Console.out("\(pending.count) change(s) would be pushed")
                for change in pending.prefix(200) {
                    Console.out("  #\(change.seq)  \(change.type)/\(change.id).\(change.field)\(change.element.map { "[\($0)]" } ?? "")")
                }
                if pending.count > 200 { Console.out("  … and \(pending.count - 200) more") }
            }
            return
        }
        if watch {
            try await runWatch(engine: engine, logger: logger)
            return
        }

        let showProgress = !output.json && Console.stderrIsTerminal
        do {
            let summary = try await engine.sync { progress in
                guard showProgress else { return }
                let total = progress.total.map { "/\($0)" } ?? ""
                FileHandle.standardError.write(Data("\r\(progress.phase.rawValue) \(progress.done)\(total)   ".utf8))
            }
            if showProgress { FileHandle.standardError.write(Data("\r".utf8)) }
            if output.json { try JSONOutput.print(summary) } else { Console.out(Self.text(summary)) }
            if !summary.refused.isEmpty { Foundation.exit(ExitStatus.doneWithRefusals) }
        } catch {
            Self.exit(with: error)
        }
    }

    /// Periodic rounds as a service in a service group that stops on SIGTERM/SIGINT.
    private func runWatch(engine: SyncEngine, logger: Logger) async throws {
        let json = output.json
        let service = SyncService(engine: engine, interval: interval, logger: logger) { result in
            switch result {
            case .success(let summary):
                if json {
                    try? JSONOutput.print(summary)
                } else {
                    Console.out("[\(Self.timestamp())] " + Self.text(summary).replacingOccurrences(of: "\n", with: "; "))
                }
            case .failure(let error):
                Console.error("[\(Self.timestamp())] sync failed: \(error.code.rawValue): \(error.message)")
            }
        }
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as SyncError {
            Self.exit(with: error)
        }
    }

    /// The readable summary of a round.
    static func text(_ summary: SyncSummary) -> String {
        var lines = [
            "pushed \(summary.pushed), pulled \(summary.pulled)"
                + (summary.bootstrapped ? ", bootstrapped \(summary.installed) record(s)" : "")
                + (summary.removed > 0 ? ", \(summary.removed) record(s) left scope" : "")
                + ", refused \(summary.refused.count), new conflicts \(summary.newConflicts) (open \(summary.openConflicts))"
        ]
        if summary.rewound {
            lines.append("  the hub was restored from a backup: what it lost of this station's changes was pushed again, and its log pulled from the start")
        }
        for refusal in summary.refused.prefix(20) {
            lines.append("  refused #\(refusal.seq) \(refusal.record).\(refusal.field): \(refusal.code.rawValue): \(refusal.message)")
        }
        if summary.newConflicts > 0 {
            lines.append("  see them with `tributary conflicts`; settle with `tributary resolve`")
        }
        return lines.joined(separator: "\n")
    }

    private static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }

    /// Reports a failed round as one line and exits with the status for its kind.
    static func exit(with error: SyncError) -> Never {
        Console.error("error: \(error.code.rawValue): \(error.message.replacingOccurrences(of: "\n", with: " "))")
        switch error.code {
        case .rateLimited:
            Foundation.exit(ExitStatus.rateLimited)
        case .unreachable, .unavailable, .internalError:
            Foundation.exit(ExitStatus.unreachable)
        case .unauthorized, .tokenRevoked, .forbidden, .protocolMismatch, .schemaMismatch, .clockSkew, .wrongSite, .seqGap,
            .outOfScope:
            Foundation.exit(ExitStatus.refused)
        default:
            Foundation.exit(ExitStatus.failure)
        }
    }
}
