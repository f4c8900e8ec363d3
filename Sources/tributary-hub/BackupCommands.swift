import ArgumentParser
import Foundation
import SyncModel
import SyncServer

/// `tributary-hub backup --out FILE`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the hub file while the hub keeps serving.",
        discussion: """
            Uses SQLite's online backup API inside one read transaction: the copy is the hub as it was after \
            one commit, even while stations push. The copy gets a log epoch of its own (Protocol/SPEC.md \
            §14), so a hub started from it makes its stations re-push what it lacks. Never overwrites FILE.

            Exit status: 0 written; 1 error (store_invalid when FILE exists or cannot be written).

            Example:
              tributary-hub backup --out /backup/hub-$(date +%F).db
            """)

    @OptionGroup var hub: HubOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("The backup file to create.", valueName: "FILE")) var out: String

    func run() async throws {
        let report = try await HubStoreOpener.open(hub).backup(to: out)
        if output.json { return try output.printJSON(report) }
        Console.out("wrote \(report.path) (\(report.bytes) bytes, log position \(report.cursor))")
    }
}

/// `tributary-hub restore --from FILE`.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup in place of the hub file and start a new log epoch. Stop the hub first.",
        discussion: """
            Copies the backup into the hub file (--db) with SQLite's backup API and renews the log epoch \
            (Protocol/SPEC.md §14). On their next sync, stations see the new epoch: each pushes again what the \
            hub no longer holds of its changes and pulls from the start of the log, so nothing they hold is \
            lost. The file it replaces is moved aside to <db>.replaced-<millis>, not deleted.

            Stations registered and tokens revoked after the backup was taken are not in it: register and \
            revoke them again.

            Exit status: 0 restored; 1 error (not_found: no backup; store_invalid: not a hub backup).

            Example:
              systemctl stop tributary-hub
              tributary-hub restore --from /backup/hub-2026-11-20.db --db hub.db
              systemctl start tributary-hub
            """)

    @OptionGroup var hub: HubOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("The backup file (from `tributary-hub backup`).", valueName: "FILE")) var from: String

    func run() async throws {
        let report = try SQLiteHubStore.restore(from: from, to: hub.path)
        // Opening it runs the migrations the backup may lack.
        _ = try HubStoreOpener.open(hub)
        if output.json { return try output.printJSON(report) }
        Console.out("restored \(from) to \(report.path): log position \(report.cursor), \(report.stations) station(s), new epoch \(report.epoch)")
        if let moved = report.replacedMovedTo { Console.out("the replaced hub file is kept at \(moved)") }
    }
}
