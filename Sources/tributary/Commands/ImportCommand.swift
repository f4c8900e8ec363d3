import ArgumentParser
import Foundation
import SyncClient
import SyncModel

/// `tributary import`: writes many records in one transaction.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write records from a JSON Lines file, all in one transaction.",
        discussion: """
            Each line is {"type": "member", "id": "m-0001", "fields": {"name": "林秀英", …}} (id optional). \
            Either every record is written or, if one is refused or the process is killed, none is. FILE \
            - reads standard input.

            Example:
              tributary import members.jsonl
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
