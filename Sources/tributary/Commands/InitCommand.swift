import ArgumentParser
import Foundation
import Logging
import SyncClient
import SyncModel

/// `tributary init`: creates the station replica.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the station replica, bound to one org unit.",
        discussion: """
            The station may write only inside its org unit's subtree. It refuses to replace an existing \
            file unless --force is given; --force replaces only a station replica (kept aside as \
            <file>.replaced-<millis>, printed) or an empty file, never a hub file, another file, a device \
            or a directory.

            With --hub and --token, the hub says which org unit the token belongs to, and init then \
            runs a first sync (the bootstrap): it fetches the org tree and every record the station \
            sees, so that writes to the units under the station's own unit work at once. Until that \
            first sync the station knows only its own unit: writes to it work, writes to the units \
            under it are refused (out_of_scope). With --offline (or when the hub cannot be reached) \
            init says so, and `tributary sync` must come before writes to those units.

            --ca FILE: the certificate authority (PEM) that signed the hub's TLS certificate, when the \
            county runs its own; its text is kept in the replica (see `tributary remote set --help`).

            Examples:
              tributary init --hub https://hub.example.org --token s3cret
              tributary init --org yc-t01 --offline --hub http://hub:8080 --token s3cret
              tributary init --hub https://hub.county.local --token s3cret --ca ca.pem
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("The org unit the station is bound to (learnt from the hub when --hub and --token are given).", valueName: "ORG_ID"))
    var org: String?

    @Option(help: "The station's name, e.g. 桃城镇.")
    var name: String?

    @Option(help: ArgumentHelp("The hub's base URL.", valueName: "URL"))
    var hub: String?

    @Option(help: "The token the hub issued for this station.")
    var token: String?

    @Option(help: ArgumentHelp("The certificate authority (PEM) that signed the hub's certificate, if not a public one; kept in the replica.", valueName: "FILE"))
    var ca: String?

    @Flag(help: "Do not contact the hub now (needs --org); the first `tributary sync` fetches the org tree.")
    var offline = false

    @Flag(help: "Replace an existing station replica (a copy is kept as <file>.replaced-<millis>).")
    var force = false

    func validate() throws {
        if let hub, URL(string: hub)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            throw ValidationError("--hub takes an http or https URL, e.g. https://hub.example.org")
        }
        if (hub == nil) != (token == nil) {
            throw ValidationError("--hub and --token go together")
        }
        if org == nil && hub == nil {
            throw ValidationError("give --org ORG_ID, or --hub URL and --token TOKEN to learn it from the hub")
        }
        if offline && org == nil {
            throw ValidationError("--offline needs --org ORG_ID: without the hub, init cannot learn the station's org unit")
        }
    }

    /// What init did, as `--json` prints it.
    struct Created: Encodable {
        var path: String
        var site: String
        var org: String
        /// Where the replaced station replica was kept (`init --force`).
        var replaced: String?
        /// Whether the first sync ran: the org tree and the station's records are in place.
        var bootstrapped: Bool
        /// Records installed by the first sync.
        var records: Int?
        /// Why the first sync did not run, when it did not.
        var note: String?
    }

    func run() async throws {
        var org = self.org
        var name = self.name
        let hubURL = hub.flatMap { URL(string: $0) }
        let pem = try ca.map(CertificateAuthorityFile.read)
        var unreachable: SyncError?
        if let hubURL, let token, !offline {
            do {
                let identity = try await Station.identify(hub: hubURL, token: token, certificateAuthority: pem)
                if let org, org != identity.org {
                    throw SyncError(
                        .outOfScope, "the token belongs to org unit \(identity.org), not \(org); leave out --org or use that station's token")
                }
                org = identity.org
                name = name ?? identity.name
            } catch let error as SyncError where error.code == .unreachable && org != nil {
                unreachable = error  // --org is known: create the replica, bootstrap later
            }
        }
        guard let org else { throw SyncError(.invalidValue, "give --org ORG_ID") }
        let replaced = force ? try Station.setAside(replicaAt: station.path) : nil
        let created = try Station.create(
            at: station.path, org: org, name: name, hub: hubURL, token: token, force: force,
            busyTimeout: station.busyTimeout)
        // Before the first sync: every request, that one included, trusts the CA.
        if let pem { try created.setCertificateAuthority(pem) }
        var result = Created(path: created.path, site: created.siteID.hex, org: created.org, replaced: replaced, bootstrapped: false)
        if hubURL != nil, !offline, unreachable == nil {
            do {
                let summary = try await created.syncEngine(logger: Logger(label: "tributary.init") { _ in SwiftLogNoOpLogHandler() }).sync()
                result.bootstrapped = true
                result.records = summary.installed
            } catch {
                unreachable = error
            }
        }
        if hubURL != nil, !result.bootstrapped {
            let why =
                if offline { "--offline" } else { "the first sync did not run (\(unreachable?.code.rawValue ?? "?"): \(unreachable?.message ?? ""))" }
            result.note =
                "\(why): this station knows only its own unit \(org) until its first sync; run `tributary sync` before writing to the units under it"
        }
        if output.json {
            try JSONOutput.print(result)
        } else {
            if let replaced { Console.out("kept the replaced replica as \(replaced)") }
            Console.out("created station replica \(created.path) for org unit \(created.org) (site \(created.siteID.hex))")
            if result.bootstrapped {
                Console.out("first sync done: \(result.records ?? 0) record(s) from the hub, the org tree included")
            }
        }
        if let note = result.note { Console.error("note: \(note)") }
    }
}
