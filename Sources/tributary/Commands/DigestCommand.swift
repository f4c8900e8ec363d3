import ArgumentParser
import SyncClient
import SyncModel
import SyncStore

/// `tributary digest`: the state digest.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the state digest (SHA-256 of the canonical dump).",
        discussion: """
            Two replicas holding the same changes have the same digest. With --hub, the hub's digest
            of what this station sees is fetched too and compared (exit 1 with `digest_mismatch` when
            they differ — sync first).

            Examples:
              tributary digest --json
              tributary digest --hub
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Compare with the hub's digest of this station's view.")
    var hub = false

    func run() async throws {
        let opened = try station.openForReading()
        let digest = try opened.store.digest()
        guard hub else {
            if output.json { try JSONOutput.print(["digest": digest]) } else { Console.out(digest) }
            return
        }
        let remote = try await opened.httpTransport(retry: .none).scopeDigest()
        let match = remote.digest == digest
        if output.json {
            try JSONOutput.print(["digest": digest, "hub": remote.digest, "match": match ? "true" : "false"])
        } else {
            Console.out("station \(digest)\nhub     \(remote.digest)  (\(remote.records) records)\n\(match ? "equal" : "DIFFERENT — sync, then compare again")")
        }
        if !match {
            throw SyncError(.digestMismatch, "this replica and the hub's view of its scope differ")
        }
    }
}
