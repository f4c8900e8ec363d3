import ArgumentParser
import Foundation
import SyncModel
import SyncServer

/// `tributary-hub station …`.
struct StationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station", abstract: "Register, list, revoke and re-key stations.",
        discussion: """
            Examples:
              tributary-hub station add --org yc-t01 --name 桃城镇工作站
              tributary-hub station list
              tributary-hub station rotate st-3f9c2a1b7d04
            """,
        subcommands: [Add.self, List.self, Revoke.self, Rotate.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a station bound to an org unit and print its token (shown only once).",
            discussion: "Example:\n  tributary-hub station add --org yc-t01 --name 桃城镇工作站")

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The org unit the station covers (it sees that subtree and its ancestors).") var org: String
        @Option(help: "A name for people.") var name: String

        func run() async throws {
            let (station, token) = try await HubStoreOpener.open(hub).addStation(name: name, org: org)
            if output.json {
                struct Added: Encodable { var station: HubStation; var token: String }
                return try output.printJSON(Added(station: station, token: token))
            }
            Console.out("station \(station.id) (\(station.name), org \(station.org))")
            Console.newToken(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stations with last contact, acknowledged seq and refusals.",
            discussion: "Example:\n  tributary-hub station list --json")

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let stations = try await HubStoreOpener.openForReading(hub).stations()
            if output.json { return try output.printJSON(stations) }
            for s in stations {
                let contact = s.lastContact.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double($0) / 1000)) } ?? "never"
                Console.out("\(s.id)  \(s.name)  org \(s.org)  \(s.revoked ? "REVOKED" : "active")  last contact \(contact)  acked \(s.acked)  refusals \(s.refusals)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a station's token: its requests are refused with token_revoked from now on.",
            discussion: "Example:\n  tributary-hub station revoke st-3f9c2a1b7d04")

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The station id.") var id: String

        func run() async throws {
            let station = try await HubStoreOpener.open(hub).revokeStation(id: id)
            if output.json { return try output.printJSON(station) }
            Console.out("revoked \(station.id) (\(station.name))")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new token for a station (same org unit and site) and retire the old one; prints it once.",
            discussion: """
                Use it when a station's token was lost, leaked or revoked: the replica that holds the \
                station's unsent changes can deliver them with the new token (`tributary remote set \
                --hub URL --token NEW`, then `tributary sync`, or export a bundle). The old token is \
                refused with token_revoked from now on, and bundles signed with it too. A station \
                whose replica was made anew (init --force) needs `station add` instead.

                Example:
                  tributary-hub station rotate st-3f9c2a1b7d04
                """)

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The station id.") var id: String

        func run() async throws {
            let (station, token) = try await HubStoreOpener.open(hub).rotateStation(id: id)
            if output.json {
                struct Rotated: Encodable { var station: HubStation; var token: String }
                return try output.printJSON(Rotated(station: station, token: token))
            }
            Console.out("station \(station.id) (\(station.name), org \(station.org)) has a new token; the old one is refused from now on")
            Console.newToken(token)
            Console.out("at the station: tributary remote set --hub URL --token \(token)")
        }
    }
}
