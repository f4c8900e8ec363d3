import ArgumentParser
import SyncClient
import SyncModel

/// `tributary conflicts`: open conflicts to review.
struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List open conflicts: concurrent writes and edits of deleted records.",
        discussion: """
            Settle one with `tributary resolve TYPE ID FIELD --keep VERSION` (or --value VALUE).

            Example:
              tributary conflicts --json
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let conflicts = try station.openForReading().conflicts()
        if output.json {
            try JSONOutput.print(conflicts)
        } else if conflicts.isEmpty {
            Console.out("no conflicts")
        } else {
            var table = TextTable(header: ["RECORD", "FIELD", "KIND", "WINNER", "KEPT VERSION", "KEPT VALUE"])
            // The record, its field and the versions are pasted into `resolve`: never cut.
            table.wholeColumns = [0, 1, 3, 4]
            for conflict in conflicts {
                table.rows.append([
                    "\(conflict.type) \(conflict.id)", conflict.element.map { "\(conflict.field)[\($0)]" } ?? conflict.field,
                    conflict.kind.rawValue, conflict.winner.text, conflict.version.text, ValueText.text(conflict.value),
                ])
            }
            Console.out(table.render())
        }
    }
}
