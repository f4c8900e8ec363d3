import ArgumentParser
import Foundation
import SyncBundle
import SyncModel
import SyncServer

/// `tributary-hub import`: applies a station's bundle as a push.
struct ImportBundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Apply a station's bundle file exactly as a push, and optionally write the reply bundle.",
        discussion: """
            The bundle (`tributary export` at the station; Protocol/SPEC.md §13) must be whole, unaltered, \
            signed by a station of this hub and of this protocol and schema; otherwise nothing is applied and \
            the command fails with bundle_invalid, bundle_truncated, bundle_version, bundle_tampered, \
            bundle_foreign, token_revoked, protocol_mismatch or schema_mismatch. Its changes then go through \
            the same checks as POST /v1/push (site, seq order, clock, scope, validation); refused changes are \
            printed and count as acknowledged. Importing a bundle twice is harmless.

            --reply writes the hub's bundle for the station right away, continuing from the pull cursor the \
            station reported: it clears the station's outbox and brings it what changed at the hub.

            Exit status: 0 imported; 4 imported, but the hub refused some changes (listed); 1 the bundle \
            was refused (nothing applied).

            Examples:
              tributary-hub import /media/usb/tc.tbundle --reply /media/usb/reply.tbundle
              tributary-hub import taocheng.tbundle --json
            """)

    @OptionGroup var hub: HubOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The station's bundle file.") var file: String
    @Option(help: ArgumentHelp("Also write the hub's bundle for the station to this file.", valueName: "FILE"))
    var reply: String?

    func run() async throws {
        let bundles = HubBundles(store: try HubStoreOpener.open(hub))
        let report = try await bundles.importStationBundle(try BundleFile.load(file))
        var written: HubBundles.ExportReport?
        if let reply {
            let (bytes, exported) = try await bundles.exportBundle(station: report.station)
            try BundleFile.save(bytes, to: reply)
            written = exported
        }
        if output.json {
            struct Imported: Encodable { var imported: HubBundles.ImportReport; var reply: HubBundles.ExportReport? }
            try output.printJSON(Imported(imported: report, reply: written))
        } else {
            Console.out(
                "station \(report.station) (\(report.name)): \(report.changes) change(s), applied \(report.applied), duplicates \(report.duplicates), refused \(report.refused.count); hub holds up to seq \(report.acked)"
            )
            for refusal in report.refused.prefix(50) {
                Console.out("  refused #\(refusal.seq): \(refusal.code.rawValue): \(refusal.message)")
            }
            if report.refused.count > 50 { Console.out("  … and \(report.refused.count - 50) more") }
            if let written, let reply { Console.out(ExportBundleCommand.text(written, file: reply)) }
        }
        if !report.refused.isEmpty { throw ExitCode(4) }
    }
}

/// `tributary-hub export --station ID --out FILE`: the pull side for a station with no link.
struct ExportBundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the bundle that brings a station what a pull would, and what the hub holds of its changes.",
        discussion: """
            The bundle (Protocol/SPEC.md §13) continues the hub's log from the pull cursor the station reported \
            in its last imported bundle (from 0 when it reported none, or one of an epoch before a restore), or \
            from --cursor. It carries the highest seq of the station the hub holds and its refusals, so that \
            the station clears its outbox, and is MACed with a key derived from the station's token hash. The \
            station applies it with `tributary import FILE`; one that does not continue where the station \
            stands is refused there (bundle_gap) with the --cursor to ask for.

            Exit status: 0 written; 1 error (not_found for an unknown station, bad_cursor).

            Examples:
              tributary-hub export --station st-3f9c2a1b7d04 --out /media/usb/reply.tbundle
              tributary-hub export --station st-3f9c2a1b7d04 --cursor 0 --out full.tbundle
            """)

    @OptionGroup var hub: HubOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "The station id (see `tributary-hub station list`).") var station: String
    @Option(help: ArgumentHelp("The bundle file to write (replaced if it exists).", valueName: "FILE")) var out: String
    @Option(help: "Start after this hub log position instead of the station's last reported cursor.") var cursor: Int64?

    func validate() throws {
        if let cursor, cursor < 0 { throw ValidationError("--cursor is 0 or more") }
    }

    func run() async throws {
        let (bytes, report) = try await HubBundles(store: try HubStoreOpener.open(hub)).exportBundle(station: station, cursor: cursor)
        try BundleFile.save(bytes, to: out)
        if output.json { return try output.printJSON(report) }
        Console.out(Self.text(report, file: out))
    }

    static func text(_ report: HubBundles.ExportReport, file: String) -> String {
        "wrote \(file) for \(report.station): log \(report.from)…\(report.to), \(report.changes) change(s), \(report.records) record(s) in, \(report.removed) out; acknowledges up to seq \(report.acked)"
    }
}
