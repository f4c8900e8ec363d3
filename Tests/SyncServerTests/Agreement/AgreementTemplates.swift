import CountyWork
import Foundation
import GRDB
import Logging
import Synchronization
import SyncModel
import SyncServer
import SyncStore
import TributaryTestSupport

/// The files every history starts from, made once per process and kept as bytes: a migrated
/// hub holding the county tree, and a migrated empty replica. Copying them instead of creating
/// and migrating eight SQLite files per history takes a quarter off a history's time.
enum AgreementTemplates {
    /// The hub template's site (a constant, so that replays break version ties alike).
    static let hubSite = SiteID(rawValue: 0x0b0b_1c0c_2d0d_3e0e)

    private static let made = Mutex<(hub: [UInt8], replica: [UInt8])?>(nil)

    /// The hub file and the replica file, as bytes.
    static func bytes(schema: Schema) async throws -> (hub: [UInt8], replica: [UInt8]) {
        if let made = made.withLock({ $0 }) { return made }
        let directory = TemporaryDirectory.forAgreement()
        let hubPath = directory.path("hub.db")
        do {
            let hub = try SQLiteHubStore.open(path: hubPath, schema: schema, wallClock: .fixed(AgreementWorld.start))
            try hub.replica.write { db in try Meta.siteID.write(hubSite.hex, db) }
        }
        do {
            let hub = try SQLiteHubStore.open(path: hubPath, schema: schema, wallClock: .fixed(AgreementWorld.start))
            precondition(hub.siteID == hubSite)
            _ = try await hub.importOrgUnits(AgreementTree.units)
            try await hub.replica.writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [directory.path("hub-template.db")]) }
        }
        do {
            let replica = try ReplicaStore.open(path: directory.path("replica.db"), schema: schema)
            try await replica.writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [directory.path("replica-template.db")]) }
        }
        let result = (
            hub: Array(try Data(contentsOf: URL(fileURLWithPath: directory.path("hub-template.db")))),
            replica: Array(try Data(contentsOf: URL(fileURLWithPath: directory.path("replica-template.db"))))
        )
        made.withLock { $0 = result }
        return result
    }

    /// A hub on a new PostgreSQL database holding what the SQLite template holds: the
    /// template's site (set before the store first opens) and the county tree.
    static func postgresHub(schema: Schema, wallClock: WallClock) async throws -> PostgresHubStore {
        let server = try PostgresTestServer.require()
        let location = try PostgresLocation(url: try await server.newDatabaseOffPool("agreement"))
        _ = try await PostgresMigrations.migrate(location, seed: schema, logger: Logger(label: "agreement"))
        let database = location.database
        try await PostgresTestServer.offPool {
            try server.psql(database, "UPDATE meta SET value = '\(hubSite.hex)' WHERE key = 'site_id'")
        }
        let hub = try await PostgresHubStore.open(location, schema: schema, wallClock: wallClock)
        precondition(hub.siteID == hubSite)
        _ = try await hub.importOrgUnits(AgreementTree.units)
        return hub
    }

    /// Writes `bytes` as a new SQLite file at `path`.
    static func copy(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
