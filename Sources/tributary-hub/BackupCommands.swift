import ArgumentParser
import CountyWork
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

            On PostgreSQL (--db postgres://…) it runs pg_dump --format=custom (one consistent snapshot while \
            the hubs serve); `restore` gives the database a new epoch.

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

            Refused (busy) while a hub serves the file: `tributary-hub serve` holds <db>.lock as long as \
            it runs.

            On PostgreSQL (--db postgres://…) it runs pg_restore --clean --if-exists --single-transaction \
            into the database, then renews the epoch; stop every hub process first. After a pg_restore run \
            by hand, run `tributary-hub epoch renew` before starting the hubs.

            Exit status: 0 restored; 1 error (not_found: no backup; store_invalid: not a hub backup; busy: a \
            hub is serving the file).

            Examples:
              systemctl stop tributary-hub
              tributary-hub restore --from /backup/hub-2026-11-20.db --db hub.db
              systemctl start tributary-hub
              tributary-hub restore --from hub.dump --db postgres://hub@db1/tributary
            """)

    @OptionGroup var hub: HubOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("The backup file (from `tributary-hub backup`).", valueName: "FILE")) var from: String

    func run() async throws {
        let report: RestoreReport
        if case .postgres(let location) = try HubDatabase(hub.path) {
            report = try await PostgresHubStore.restore(from: from, to: location, schema: try CountyWorkSchema.load())
        } else {
            // Refused while a hub serves the file: it would go on acknowledging pushes into the
            // file moved aside, and they would be lost.
            let lock = try HubFileLock.acquire(database: hub.path, purpose: "restore")
            report = try SQLiteHubStore.restore(from: from, to: hub.path)
            // Opening it runs the migrations the backup may lack.
            _ = try await HubStoreOpener.open(hub, create: true)
            withExtendedLifetime(lock) {}
        }
        if output.json { return try output.printJSON(report) }
        Console.out("restored \(from) to \(report.path): log position \(report.cursor), \(report.stations) station(s), new epoch \(report.epoch)")
        if let moved = report.replacedMovedTo { Console.out("the replaced hub file is kept at \(moved)") }
    }
}

/// `tributary-hub epoch show|renew`.
struct EpochCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epoch",
        abstract: "Show the hub's log epoch, or renew it after restoring a PostgreSQL dump by hand.",
        discussion: """
            Stations compare the epoch of every pull and snapshot page with the one they know \
            (Protocol/SPEC.md §14): a new epoch makes them push again what the hub lost and pull from \
            the start. `restore` renews it; run `epoch renew` yourself after restoring a PostgreSQL \
            database with pg_restore (or from a file-system snapshot), before the hubs serve again.

            Examples:
              tributary-hub epoch show --db postgres://hub@db1/tributary
              tributary-hub epoch renew --db postgres://hub@db1/tributary
            """,
        subcommands: [Show.self, Renew.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the hub's log epoch.",
            discussion: """
                Example:
                  tributary-hub epoch show --db postgres://hub@db1/tributary
                """)
        @OptionGroup var hub: HubOptions

        func run() async throws {
            Console.out(try await HubStoreOpener.openForReading(hub).epoch() ?? "")
        }
    }

    struct Renew: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a PostgreSQL hub a new log epoch (after pg_restore).",
            discussion: """
                Stop every hub process first; stations push again what the hub lost and pull from the start.

                Example:
                  tributary-hub epoch renew --db postgres://hub@db1/tributary
                """)
        @OptionGroup var hub: HubOptions

        func run() async throws {
            guard case .postgres(let location) = try HubDatabase(hub.path) else {
                throw SyncError(.badRequest, "epoch renew is for a PostgreSQL hub; an SQLite hub gets a new epoch from `tributary-hub restore`")
            }
            let store = try await PostgresHubStore.open(location, schema: try CountyWorkSchema.load())
            let epoch = try await store.renewEpoch()
            await store.close()
            Console.out("new epoch \(epoch)")
        }
    }
}
