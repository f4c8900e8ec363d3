import ArgumentParser
import Foundation
import SyncClient
import SyncModel

/// `tributary remote`: the hub this station syncs with.
struct RemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Show or set the hub this station syncs with.",
        discussion: """
            Examples:
              tributary remote show
              tributary remote set --hub https://hub.example.org --token s3cret
            """,
        subcommands: [Show.self, Set.self],
        defaultSubcommand: Show.self)

    /// `tributary remote show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show the hub URL (the token is never printed).",
            discussion: """
                Example:
                  tributary remote show --json
                """)

        @OptionGroup var station: StationOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let settings = try station.openForReading().settings()
            let hub = settings.hub?.absoluteString
            let ca = settings.certificateAuthority == nil ? "" : "set"
            if output.json {
                try JSONOutput.print(["hub": hub ?? "", "token": settings.token == nil ? "" : "set", "ca": ca])
            } else {
                Console.out(
                    hub.map { "hub \($0), token \(settings.token == nil ? "not set" : "set")\(ca.isEmpty ? "" : ", own certificate authority")" }
                        ?? "no hub set")
            }
        }
    }

    /// `tributary remote set --hub URL --token TOKEN`.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the hub URL and token; the hub is asked to confirm the token is this station's.",
            discussion: """
                A hub whose TLS certificate is signed by the county's own certificate authority needs that \
                authority's certificate: --ca FILE (PEM) copies it into the replica, which trusts it for every \
                request from then on (moving or deleting FILE changes nothing). Without --ca, a CA set before is \
                kept. SSL_CERT_FILE and CURL_CA_BUNDLE, when set, name further PEM files to trust.

                Examples:
                  tributary remote set --hub https://hub.county.local --token 4f1c…
                  tributary remote set --hub https://hub.local --token 4f1c… --ca ca.pem
                """)

        @OptionGroup var station: StationOptions

        @Option(help: ArgumentHelp("The hub's base URL.", valueName: "URL"))
        var hub: String

        @Option(help: "The token the hub issued for this station.")
        var token: String

        @Option(help: ArgumentHelp("The certificate authority (PEM) that signed the hub's certificate, if not a public one.", valueName: "FILE"))
        var ca: String?

        @Flag(help: "Store the settings without asking the hub (for a station that is offline now).")
        var offline = false

        func run() async throws {
            guard let url = URL(string: hub), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--hub takes an http or https URL")
            }
            let opened = try station.open()
            let pem = try ca.map(CertificateAuthorityFile.read) ?? opened.settings().certificateAuthority
            if !offline {
                let identity = try await Station.identify(hub: url, token: token, schema: opened.schema, certificateAuthority: pem)
                guard identity.org == opened.org else {
                    throw SyncError(
                        .outOfScope,
                        "the token belongs to station \(identity.name) of org unit \(identity.org), but this replica is bound to \(opened.org)")
                }
            }
            try opened.setRemote(hub: url, token: token)
            if ca != nil { try opened.setCertificateAuthority(pem) }
            Console.out("hub set to \(url.absoluteString)\(ca == nil ? "" : ", trusting the certificate authority in \(ca!)")")
        }
    }
}
