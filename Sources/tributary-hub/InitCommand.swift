import ArgumentParser
import Foundation
import SyncModel
import SyncServer

/// `tributary-hub init`: creates an empty hub file.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty hub database (org import creates one too).",
        discussion: """
            Creates the hub file (--db, $TRIBUTARY_HUB_DB or ./hub.db) readable by its owner only, with its \
            site id and log epoch. Refuses a file that exists. Every other command except `org import` and \
            `restore` needs the file to exist, so that one run in the wrong folder does not leave an empty hub.

            With --db postgres://… it creates the hub's tables in that (existing, empty) database, and \
            refuses one that already holds a hub's org tree or stations.

            Example:
              tributary-hub init --db /var/lib/tributary/hub.db
            """)

    @OptionGroup var hub: HubOptions
    @OptionGroup var output: OutputOptions

    /// What `init` created.
    struct Created: Encodable {
        var path: String
        var site: String
    }

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: hub.path) else {
            throw SyncError(.storeInvalid, "\(hub.path) already exists; a hub is created once (see tributary-hub station list)")
        }
        let store = try await HubStoreOpener.open(hub, create: true)
        let database = try HubDatabase(hub.path)
        if case .postgres = database {
            let units = try await store.orgUnits().count, stations = try await store.stations().count
            guard units == 0 && stations == 0 else {
                throw SyncError(
                    .storeInvalid,
                    "\(database) already holds a hub (\(units) org unit(s), \(stations) station(s)); a hub is created once (see tributary-hub station list)")
            }
        }
        // A URL's password is not repeated.
        let created = Created(path: database.description, site: store.siteID.hex)
        if output.json { return try output.printJSON(created) }
        Console.out("created the hub \(created.path) (site \(created.site)); next: tributary-hub org import FILE")
    }
}
