import ArgumentParser
import SyncClient
import SyncModel
import SyncStore

/// `tributary digest`: the state digest, and with `--hub` a comparison with the hub's view.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the state digest (SHA-256 of the canonical dump).",
        discussion: """
            Two replicas holding the same changes have the same digest. With --hub, the hub's digest \
            of what this station sees is fetched too and compared; when they differ, the digest of \
            every record is fetched and compared as well, and the records only on this station, \
            only at the hub, and held with a different state are listed (the command then exits 1 \
            with digest_mismatch). A station that has just synced normally matches; records that \
            still differ after a sync are a fault worth reporting, with this output.

            With --json: {"digest", "hub", "hubRecords", "match": true|false} and, when they differ, \
            "onlyHere", "onlyAtHub" and "different", each a list of {"type", "id"}.

            Examples:
              tributary digest --json
              tributary digest --hub
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Compare with the hub's digest of this station's view.")
    var hub = false

    /// The outcome of a comparison with the hub.
    struct Comparison: Encodable {
        var digest: String
        var hub: String
        var hubRecords: Int
        var match: Bool
        var onlyHere: [RecordKey]?
        var onlyAtHub: [RecordKey]?
        var different: [RecordKey]?
    }

    func run() async throws {
        let opened = try station.openForReading()
        let digest = try opened.store.digest()
        guard hub else {
            if output.json { try JSONOutput.print(["digest": digest]) } else { Console.out(digest) }
            return
        }
        let transport = try opened.httpTransport(retry: .none)
        var remote = try await transport.scopeDigest()
        var comparison = Comparison(digest: digest, hub: remote.digest, hubRecords: remote.records, match: remote.digest == digest)
        if !comparison.match {
            // Which records differ: each side's digest of every record, set against the other's.
            remote = try await transport.scopeDigestWithRecords()
            comparison.hub = remote.digest
            comparison.hubRecords = remote.records
            let theirs = Dictionary((remote.recordDigests ?? []).map { ($0.key, $0.digest) }, uniquingKeysWith: { a, _ in a })
            let ours = Dictionary(try opened.store.recordDigests().map { ($0.key, $0.digest) }, uniquingKeysWith: { a, _ in a })
            comparison.onlyHere = ours.keys.filter { theirs[$0] == nil }.sorted()
            comparison.onlyAtHub = theirs.keys.filter { ours[$0] == nil }.sorted()
            comparison.different = ours.filter { key, value in theirs[key].map { $0 != value } ?? false }.keys.sorted()
            comparison.match = remote.digest == digest
        }
        if output.json {
            try JSONOutput.print(comparison)
        } else {
            Console.out(Self.text(comparison))
        }
        if !comparison.match {
            let counts = [
                (comparison.onlyHere?.count ?? 0, "only on this station"), (comparison.onlyAtHub?.count ?? 0, "only at the hub"),
                (comparison.different?.count ?? 0, "held differently"),
            ].filter { $0.0 > 0 }.map { "\($0.0) record(s) \($0.1)" }
            throw SyncError(
                .digestMismatch,
                "this replica and the hub's view of its scope differ: \(counts.isEmpty ? "the hub changed meanwhile" : counts.joined(separator: ", ")); sync, and if they still differ, report it with `tributary digest --hub --json`")
        }
    }

    /// The readable comparison.
    static func text(_ c: Comparison) -> String {
        var lines = ["station \(c.digest)", "hub     \(c.hub)  (\(c.hubRecords) records)", c.match ? "equal" : "DIFFERENT"]
        for (title, keys) in [("only on this station", c.onlyHere), ("only at the hub", c.onlyAtHub), ("held differently", c.different)] {
            guard let keys, !keys.isEmpty else { continue }
            lines.append("  \(keys.count) \(title):")
            for key in keys.prefix(20) { lines.append("    \(key.type) \(key.id)") }
            if keys.count > 20 { lines.append("    … and \(keys.count - 20) more (--json lists them all)") }
        }
        return lines.joined(separator: "\n")
    }
}
