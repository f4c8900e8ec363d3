import ArgumentParser
import Foundation
import SyncClient
import SyncModel

/// The options every command shares: which replica file to use.
struct StationOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The station replica file (default: $TRIBUTARY_DB, else ./station.db).", valueName: "PATH"))
    var db: String?

    /// The replica path: `--db`, else `$TRIBUTARY_DB`, else `station.db`.
    var path: String {
        db ?? ProcessInfo.processInfo.environment["TRIBUTARY_DB"] ?? "station.db"
    }

    /// How long a write waits for another process holding the file (`$TRIBUTARY_BUSY_TIMEOUT`
    /// seconds, default 5) before failing with `busy`.
    var busyTimeout: Double {
        ProcessInfo.processInfo.environment["TRIBUTARY_BUSY_TIMEOUT"].flatMap(Double.init) ?? 5
    }

    /// Opens the station replica for a command that writes: its pages are checked first, so
    /// that nothing is written into a damaged file (SPEC §16).
    func open() throws(SyncError) -> Station {
        try Station.open(at: path, busyTimeout: busyTimeout)
    }

    /// Opens the station replica for a command that only reads: nothing is written to the file,
    /// and a file that may not be written reads all the same.
    func openForReading() throws(SyncError) -> Station {
        try Station.open(at: path, busyTimeout: busyTimeout, readOnly: true)
    }
}

/// The `--json` flag of data commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of a table.")
    var json = false
}

/// The record a command acts on: `TYPE ID`.
struct RecordArguments: ParsableArguments {
    @Argument(help: "The record type, e.g. member.")
    var type: String

    @Argument(help: "The record id.")
    var id: String
}
