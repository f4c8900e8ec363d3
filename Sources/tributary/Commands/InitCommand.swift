import ArgumentParser
import Foundation
import SyncClient
import SyncModel

/// `tributary init`: creates the station replica.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the station replica, bound to one org unit.",
        discussion: """
            The station may write only inside its org unit's subtree. It refuses to replace an existing \
            file unless --force is given (the old file's unsynced changes are then lost).

            --ca FILE: the certificate authority (PEM) that signed the hub's TLS certificate, when the county \
            runs its own; its text is kept in the replica (see `tributary remote set --help`).

            Examples:
              tributary init --org yc-t01 --name 桃城镇 --hub https://hub.example.org --token s3cret
              tributary init --hub https://hub.county.local --token s3cret --ca county-ca.pem
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

    @Flag(help: "Replace an existing replica file.")
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
    }

    func run() async throws {
        var org = self.org
        var name = self.name
        let hubURL = hub.flatMap { URL(string: $0) }
        let pem = try ca.map(CertificateAuthorityFile.read)
        if let hubURL, let token {
            let identity = try await Station.identify(hub: hubURL, token: token, certificateAuthority: pem)
            if let org, org != identity.org {
                throw SyncError(
                    .outOfScope, "the token belongs to org unit \(identity.org), not \(org); leave out --org or use that station's token")
            }
            org = identity.org
            name = name ?? identity.name
        }
        let created = try Station.create(
            at: station.path, org: org!, name: name, hub: hubURL, token: token, force: force,
            busyTimeout: station.busyTimeout)
        if let pem { try created.setCertificateAuthority(pem) }
        if output.json {
            try JSONOutput.print(["path": created.path, "site": created.siteID.hex, "org": created.org])
        } else {
            Console.out("created station replica \(created.path) for org unit \(created.org) (site \(created.siteID.hex))")
        }
    }
}
