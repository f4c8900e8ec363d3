import CountyWork
import Foundation
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// The hub opens only hub files of a format it knows, and stations only station replicas
/// (SPEC §16 "File kinds and format versions"); what is refused is left untouched.
@Suite("Hub file kinds and format versions")
struct HubFileKindTests {
    let wall = WallClock.fixed(1_750_000_000_000)

    /// The SyncError `body` throws, or `nil`.
    static func caught(_ body: () throws -> Void) -> SyncError? {
        do {
            try body()
            return nil
        } catch {
            return error as? SyncError
        }
    }

    /// A closed hub file at `path` with one org unit and one station.
    func hub(at path: String) async throws {
        let store = try SQLiteHubStore.open(path: path, schema: try CountyWorkSchema.load(), wallClock: wall)
        _ = try await store.importOrgUnits([HubOrgUnit(id: "yc", name: "永春县", kind: "county")])
        _ = try await store.addStation(name: "county", org: "yc")
    }

    @Test("a hub command on a station replica refuses it and leaves it a station replica; a station refuses a hub file")
    func wrongKind() async throws {
        // Given a station replica and a hub file
        let directory = TemporaryDirectory("hubkind")
        let stationPath = directory.path("station.db")
        let hubPath = directory.path("hub.db")
        _ = try Station.create(at: stationPath, org: "yc", name: "永春县", wallClock: wall)
        try await hub(at: hubPath)
        let stationBytes = StoreFiles.bytes(stationPath)
        let hubBytes = StoreFiles.bytes(hubPath)

        // When the hub opens the station's file (`tributary-hub station list --db station.db`, `serve`)
        let asHub = Self.caught { _ = try SQLiteHubStore.open(path: stationPath, schema: try CountyWorkSchema.load(), wallClock: wall) }
        // Then store_invalid says what it is, and it is not migrated into a hub
        #expect(asHub?.code == .storeInvalid)
        #expect(asHub?.message.contains("is a station replica, not a hub file") == true, "\(String(describing: asHub))")
        #expect(StoreFiles.bytes(stationPath) == stationBytes)

        // When a station opens the hub's file / Then the same the other way round
        let asStation = Self.caught { _ = try Station.open(at: hubPath, wallClock: wall) }
        #expect(asStation?.code == .storeInvalid)
        #expect(asStation?.message.contains("is a hub file, not a station replica") == true, "\(String(describing: asStation))")
        #expect(StoreFiles.bytes(hubPath) == hubBytes)

        // And `serve` does not start on a station replica
        var configuration = HubConfiguration(port: 0)
        configuration.dbPath = stationPath
        await #expect(throws: SyncError.self) { _ = try await buildApplication(configuration: configuration) }
        #expect(StoreFiles.bytes(stationPath) == stationBytes)
        // And the station still opens it as its own
        #expect(try Station.open(at: stationPath, wallClock: wall).settings().name == "永春县")
    }

    @Test("a hub file is stamped as a hub; one written before the stamp is recognised by its migrations and stamped")
    func stamped() async throws {
        let directory = TemporaryDirectory("hubkind")
        let path = directory.path("hub.db")
        try await hub(at: path)
        #expect(try StoreFiles.applicationID(path) == StoreKind.hub.applicationID)

        // Given a hub file as older versions wrote it / Then it is still a hub, and is stamped when opened
        try StoreFiles.clearApplicationID(path)
        #expect(StoreFileIdentity.of(path) == .tributary(.hub))
        #expect(Self.caught { _ = try Station.open(at: path, wallClock: wall) }?.message.contains("is a hub file") == true)
        do {
            let store = try SQLiteHubStore.open(path: path, schema: try CountyWorkSchema.load(), wallClock: wall)
            #expect(try await store.stations().count == 1)
        }
        #expect(try StoreFiles.applicationID(path) == StoreKind.hub.applicationID)
    }

    @Test("a hub file written by a newer version is refused, untouched")
    func newer() async throws {
        let directory = TemporaryDirectory("hubkind")
        let path = directory.path("hub.db")
        try await hub(at: path)
        try StoreFiles.addMigration("hub-v9-relay", to: path)
        let before = StoreFiles.bytes(path)
        let error = Self.caught { _ = try SQLiteHubStore.open(path: path, schema: try CountyWorkSchema.load(), wallClock: wall) }
        #expect(error?.code == .storeInvalid)
        #expect(error?.message.contains("newer version") == true && error?.message.contains("hub-v9-relay") == true, "\(String(describing: error))")
        #expect(StoreFiles.bytes(path) == before)
    }

    @Test("restore refuses a station replica or a newer hub file as the backup, leaving the hub as it was")
    func restoreRefusesWhatIsNotAHubBackup() async throws {
        // Given a hub, a station replica and a hub file from a newer version
        let directory = TemporaryDirectory("hubkind")
        let hubPath = directory.path("hub.db")
        try await hub(at: hubPath)
        let stationPath = directory.path("station.db")
        _ = try Station.create(at: stationPath, org: "yc", wallClock: wall)
        let newer = directory.path("newer.db")
        try await hub(at: newer)
        try StoreFiles.addMigration("hub-v9-relay", to: newer)
        let before = StoreFiles.bytes(hubPath)

        // When either is restored over the hub / Then store_invalid, and the hub file is untouched
        for (backup, expected) in [(stationPath, "is a station replica, not a hub file"), (newer, "newer version")] {
            let error = Self.caught { _ = try SQLiteHubStore.restore(from: backup, to: hubPath, wallClock: wall) }
            #expect(error?.code == .storeInvalid && error?.message.contains(expected) == true, "\(String(describing: error))")
        }
        #expect(StoreFiles.bytes(hubPath) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).allSatisfy { !$0.contains(".replaced-") })
    }
}
