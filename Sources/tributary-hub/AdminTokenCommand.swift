import ArgumentParser
import Foundation
import SyncModel
import SyncServer

/// `tributary-hub admin-token …`.
struct AdminTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin-token", abstract: "Create, list and revoke admin tokens for reports, the change feed and the dashboard.",
        discussion: """
            Examples:
              tributary-hub admin-token create --name 县委组织部
              tributary-hub admin-token list
            """,
        subcommands: [Create.self, List.self, Revoke.self], defaultSubcommand: Create.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an admin token and print it (shown only once; the hub keeps its hash).",
            discussion: """
                The token reads every report (GET /v1/reports/NAME) and the change feed (GET /v1/log), \
                and signs in to the dashboard at /.

                Examples:
                  tributary-hub admin-token create --name 县委组织部
                  tributary-hub admin-token --name 县委组织部
                """)

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Who holds the token.") var name = "admin"

        func run() async throws {
            let (admin, token) = try await HubStoreOpener.open(hub).addAdminToken(name: name)
            if output.json {
                struct Created: Encodable { var admin: AdminToken; var token: String }
                return try output.printJSON(Created(admin: admin, token: token))
            }
            Console.out("admin token \(admin.id) (\(admin.name))")
            Console.newToken(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List admin tokens (ids and names, never the tokens).", discussion: "Example:\n  tributary-hub admin-token list --json")

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let admins = try await HubStoreOpener.openForReading(hub).adminTokens()
            if output.json { return try output.printJSON(admins) }
            for admin in admins { Console.out("\(admin.id)  \(admin.name)  \(admin.revoked ? "REVOKED" : "active")") }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an admin token; it is refused with token_revoked from now on.",
            discussion: "Example:\n  tributary-hub admin-token revoke ad-3f9c2a1b7d04")

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The admin token id.") var id: String

        func run() async throws {
            let admin = try await HubStoreOpener.open(hub).revokeAdminToken(id: id)
            if output.json { return try output.printJSON(admin) }
            Console.out("revoked \(admin.id) (\(admin.name))")
        }
    }
}
