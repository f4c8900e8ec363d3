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
            if output.json {
                try JSONOutput.print(["hub": hub ?? "", "token": settings.token == nil ? "" : "set"])
            } else {
                Console.out(hub.map { "hub \($0), token \(settings.token == nil ? "not set" : "set")" } ?? "no hub set")
            }
        }
    }

    /// `tributary remote set --hub URL --token TOKEN`.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the hub URL and token; the hub is asked to confirm the token is this station's.",
            discussion: """
                Example:
                  tributary remote set --hub http://hub.county.local:8080 --token 4f1c…
                """)

        @OptionGroup var station: StationOptions

        @Option(help: ArgumentHelp("The hub's base URL.", valueName: "URL"))
        var hub: String

        @Option(help: "The token the hub issued for this station.")
        var token: String

        @Flag(help: "Store the settings without asking the hub (for a station that is offline now).")
        var offline = false

        func run() async throws {
            guard let url = URL(string: hub), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--hub takes an http or https URL")
            }
            let opened = try station.open()
            if !offline {
                let identity = try await Station.identify(hub: url, token: token, schema: opened.schema)
                guard identity.org == opened.org else {
                    throw SyncError(
                        .outOfScope,
                        "the token belongs to station \(identity.name) of org unit \(identity.org), but this replica is bound to \(opened.org)")
                }
            }
            try opened.setRemote(hub: url, token: token)
            Console.out("hub set to \(url.absoluteString)")
        }
    }
}
