import ArgumentParser
import Foundation
import SyncModel
import SyncServer

/// `tributary-hub log`: the auditor's change feed.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the hub's change log: every change applied, oldest first, with its log position.",
        discussion: """
            Each entry is a change exactly as the hub applied it: its log position, origin site and seq, \
            clock (hlc), scope, record type and id, field (and set element), value and bases. Pages run \
            after --after POS (0: from the start); when more entries remain, a note on stderr names the \
            --after to continue with (with --json, "more" is true and "cursor" is that position). \
            Personal values (phone, id number) are withheld unless --personal is given. Entries that \
            compaction dropped are not shown. Admin tokens read the same feed over HTTP: \
            GET /v1/log?after=POS&limit=N.

            Examples:
              tributary-hub log --limit 20
              tributary-hub log --after 5000 --limit 1000 --json
            """)

    @OptionGroup var hub: HubOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Show the entries after this log position.", valueName: "POS"))
    var after: Int64 = 0

    @Option(help: "The most entries to show.")
    var limit = 100

    @Flag(help: "Show personal values (phone, id number) instead of withholding them.")
    var personal = false

    func validate() throws {
        guard after >= 0 else { throw ValidationError("--after is a log position, 0 or more") }
        guard limit >= 1 else { throw ValidationError("--limit is at least 1") }
    }

    func run() async throws {
        let store = try HubStoreOpener.openForReading(hub)
        var page = try await store.log(after: after, limit: limit)
        if !personal { page.entries = page.entries.map { $0.withholdingPersonal(store.schema) } }
        if output.json {
            try output.printJSON(page)
        } else if page.entries.isEmpty {
            Console.out("no log entries after position \(after)")
        } else {
            for entry in page.entries { Console.out(Self.line(entry)) }
        }
        if page.more && !output.json {
            Console.error("more entries follow: tributary-hub log --after \(page.cursor)")
        }
    }

    /// One entry as a line: position, origin, clock, record and field, value, scope and bases.
    static func line(_ entry: LogEntry) -> String {
        let change = entry.change
        let field = change.element.map { "\(change.field)[\($0)]" } ?? change.field
        let value = entry.withheld ? "<personal>" : CanonicalJSON.text(of: change.value)
        let bases = change.bases.isEmpty ? "" : "  bases \(change.bases.map(\.text).joined(separator: ","))"
        return "\(entry.position)  \(change.site.hex)#\(change.seq)  \(change.hlc.hex)  \(change.type) \(change.id) \(field) = \(value)  scope \(change.scope)\(bases)"
    }
}
