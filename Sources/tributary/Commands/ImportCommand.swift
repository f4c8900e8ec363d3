import ArgumentParser
import Foundation
import SyncBundle
import SyncClient
import SyncModel

/// `tributary import`: writes many records in one transaction.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write records from a JSON Lines file, or apply a bundle file from the hub.",
        discussion: """
            Each line is {"type": "member", "id": "m-0001", "fields": {"name": "林秀英", …}} (id optional). \
            Either every record is written or, if one is refused or the process is killed, none is. FILE \
            - reads standard input.

            A file that starts with TRIBUTARY-BUNDLE is the hub's bundle for this station \
            (`tributary-hub export` or `import --reply`; Protocol/SPEC.md §13). It is applied as a sync \
            round would: the outbox is cleared up to what the hub holds, refused changes are marked, and \
            the hub's changes are pulled — all in one transaction, only if the file is whole, unaltered, \
            made for this station and continues where it stands. Refusals: bundle_invalid, \
            bundle_truncated, bundle_version, bundle_tampered, bundle_foreign, bundle_gap (exit 1, \
            nothing applied).

            Examples:
              tributary import members.jsonl
              tributary import /media/usb/taocheng-reply.tbundle
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The JSON Lines file, or - for standard input.")
    var file: String

    @Flag(help: "Report progress on stderr even when it is not a terminal.")
    var progress = false

    @Option(help: "Records between progress reports.")
    var progressEvery: Int = 1_000

    func run() async throws {
        let replica = try station.open()
        if file != "-", let bytes = FileManager.default.contents(atPath: file), BundleFile.looksLikeBundle(bytes) {
            return try importBundle([UInt8](bytes), into: replica)
        }
        var lines = try LineReader(path: file)
        let schema = replica.schema
        let showProgress = progress || Console.stderrIsTerminal
        let report = try replica.importRecords(
            progressEvery: progressEvery,
            progress: { report in
                if showProgress { Console.error("imported \(report.records) records") }
            },
            next: { () throws(SyncError) -> RecordWrite? in
                while let line = lines.next() {
                    if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                    return try FieldText.importLine(line, schema: schema)
                }
                return nil
            })
        if output.json {
            try JSONOutput.print(["records": report.records, "written": report.written, "changes": report.changes])
        } else {
            Console.out("imported \(report.records) records (\(report.written) written, \(report.changes) field changes)")
        }
    }
}

extension ImportCommand {
    /// Applies the hub's bundle.
    func importBundle(_ bytes: [UInt8], into replica: Station) throws {
        let report = try replica.importBundle(bytes)
        if output.json { return try JSONOutput.print(report) }
        var line = report.alreadyApplied
            ? "bundle for \(report.station): its changes were already here"
            : "bundle for \(report.station): pulled \(report.pulled), installed \(report.installed), removed \(report.removed)"
        line += "; hub holds own changes up to seq \(report.acked) (\(report.cleared) left the outbox), cursor \(report.cursor)"
        Console.out(line)
        if report.rewound {
            Console.out("the hub was restored from a backup: changes it lost are in the outbox again; run `tributary export`")
        }
        for refusal in report.refused.prefix(20) {
            Console.out("  refused #\(refusal.seq): \(refusal.code.rawValue): \(refusal.message)")
        }
    }
}

/// Lines of a file, or of standard input as they arrive.
struct LineReader {
    private var buffered: [Substring]?
    private var index = 0

    init(path: String) throws(SyncError) {
        guard path != "-" else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError(.notFound, "cannot read \(path)")
        }
        buffered = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
    }

    mutating func next() -> String? {
        guard let buffered else { return readLine(strippingNewline: true) }
        guard index < buffered.count else { return nil }
        defer { index += 1 }
        return String(buffered[index])
    }
}
