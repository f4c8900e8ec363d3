import ArgumentParser
import Foundation
import SyncBundle
import SyncClient
import SyncModel

/// `tributary export`: the station's own changes in a bundle file for the hub.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the outbox to a signed bundle file, for a hub that cannot be reached over the network.",
        discussion: """
            The bundle (Protocol/SPEC.md §13) holds the changes the hub has not acknowledged (every own \
            change with --all), this station's site, org unit and pull cursor, gzip-compressed and signed \
            with a key derived from the station's token. Carry it to the county office; there \
            `tributary-hub import FILE --reply REPLY` applies it and writes the reply to import here with \
            `tributary import REPLY`. The outbox is cleared only by that reply, the hub's proof that it \
            holds the changes. Exporting again is harmless: the hub skips changes it holds.

            Exit status: 0 written; 1 error (e.g. not_found when the station has no token).

            Examples:
              tributary export --out /media/usb/taocheng.tbundle
              tributary export --all --out /media/usb/taocheng-all.tbundle
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("The bundle file to write (replaced if it exists).", valueName: "FILE"))
    var out: String

    @Flag(help: "Include every own change, not only the unacknowledged ones (after the hub lost changes).")
    var all = false

    func run() async throws {
        let (bytes, report) = try station.open().exportBundle(all: all)
        try BundleFile.save(bytes, to: out)
        if output.json {
            try JSONOutput.print(report)
        } else {
            let range = report.firstSeq.map { " (seq \($0)–\(report.lastSeq ?? $0))" } ?? ""
            Console.out("wrote \(out): \(report.changes) change(s)\(range), \(bytes.count) bytes")
        }
    }
}
