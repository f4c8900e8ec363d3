import ArgumentParser
import Foundation
import SyncBundle
import SyncClient
import SyncModel
#if canImport(Glibc)
import Glibc
#endif

/// `tributary import`: writes many records in one transaction.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write records from a JSON Lines file, or apply a bundle file from the hub.",
        discussion: """
            Each line is {"type": "member", "id": "m-0001", "fields": {"name": "林秀英", …}} (id optional), \
            in UTF-8, with LF or CRLF line ends; blank lines are skipped. Either every record is written or, \
            if one is refused or the process is killed, none is; errors name the line. A line that is not \
            UTF-8 or that names a key twice is refused. FILE - reads standard input.

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
        var recordLines: [Int] = []
        let schema = replica.schema
        let showProgress = progress || Console.stderrIsTerminal
        let report = try replica.importRecords(
            progressEvery: progressEvery,
            progress: { report in
                if showProgress { Console.error("imported \(report.records) records") }
            },
            label: { record in record <= recordLines.count ? "line \(recordLines[record - 1])" : "record \(record)" },
            next: { () throws(SyncError) -> RecordWrite? in
                while let (number, bytes) = try lines.next() {
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    guard let line = String(validating: bytes, as: UTF8.self) else {
                        throw SyncError(
                            .invalidValue, "line \(number) is not UTF-8 text: nothing was imported; save the file as UTF-8")
                    }
                    do throws(SyncError) {
                        let write = try FieldText.importLine(line, schema: schema)
                        recordLines.append(number)
                        return write
                    } catch {
                        throw SyncError(error.code, "line \(number): \(error.message)")
                    }
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

/// Lines of a file, or of standard input as they arrive, as bytes with their 1-based numbers;
/// a line ends at LF, and a CR before it is dropped (CRLF files).
struct LineReader {
    private let descriptor: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var number = 0

    init(path: String) throws(SyncError) {
        self.path = path
        guard path != "-" else {
            descriptor = STDIN_FILENO
            return
        }
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SyncError(.notFound, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The next line and its number, or `nil` at the end.
    mutating func next() throws(SyncError) -> (Int, [UInt8])? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                number += 1
                return (number, line)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                var line = Array(buffer[start...])
                if line.last == 0x0D { line.removeLast() }
                start = buffer.count
                number += 1
                return (number, line)
            }
            buffer.removeFirst(start)
            start = 0
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let read = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if read < 0 {
                if errno == EINTR { continue }
                throw SyncError(.notFound, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if read == 0 { atEnd = true } else { buffer += chunk[..<read] }
        }
    }
}
