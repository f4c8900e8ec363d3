import ArgumentParser
import Foundation
import SyncModel
import SyncServer

/// `tributary-hub dump`.
struct DumpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump", abstract: "Print the hub's canonical dump (JSON of every record and conflict).",
        discussion: "Example:\n  tributary-hub dump > hub-dump.json")

    @OptionGroup var hub: HubOptions

    func run() async throws {
        FileHandle.standardOutput.write(Data(try await HubStoreOpener.openForReading(hub).dump()))
        Console.out()
    }
}

/// `tributary-hub digest`.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest", abstract: "Print the SHA-256 digest of the hub's canonical dump.",
        discussion: "Example:\n  tributary-hub digest --json")

    @OptionGroup var hub: HubOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let digest = try await HubStoreOpener.openForReading(hub).digest(for: nil)
        if output.json { return try output.printJSON(digest) }
        Console.out(digest.digest)
    }
}

/// `tributary-hub compact`.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Drop log entries that no longer decide anything.",
        discussion: """
            Drops change-log entries older than the retention whose field has a single head that is a newer \
            write (lww, set and immutable fields; forward-state fields keep their history). Merged state, \
            superseded versions (the conflict rule) and snapshots are untouched, so digests do not change. \
            Tombstones (deleted records) are kept. Stations whose cursor lies before a dropped entry still \
            receive the newer write that replaced it.

            Example:
              tributary-hub compact --retention-days 90
            """)

    @OptionGroup var hub: HubOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Keep every log entry younger than this many days.") var retentionDays = 90

    func run() async throws {
        let report = try await HubStoreOpener.open(hub).compact(retentionMillis: UInt64(max(0, retentionDays)) * 86_400_000)
        if output.json { return try output.printJSON(report) }
        Console.out("dropped \(report.droppedLogEntries) log entries; \(report.remainingLogEntries) remain")
    }
}
