import Foundation
import SyncClient
import SyncModel
import SyncStore
import Testing
import TributaryTestSupport

@Suite("Station: create and open")
struct StationLifecycleTests {
    @Test("create stores the settings and open reads them back with the same site id")
    func createThenOpen() throws {
        // Given a new station with a hub and a token
        let directory = TemporaryDirectory("station")
        let path = directory.path("station.db")
        let hub = URL(string: "https://hub.example.org")!
        let created = try Station.create(at: path, org: "yc-t01", name: "桃城镇", hub: hub, token: "s3cret")

        // When it is opened again
        let opened = try Station.open(at: path)

        // Then it is the same replica with the same settings
        #expect(opened.siteID == created.siteID)
        #expect(opened.org == "yc-t01")
        let settings = try opened.settings()
        #expect(settings == StationSettings(org: "yc-t01", name: "桃城镇", hub: hub, token: "s3cret"))
    }

    @Test("create refuses an existing file unless forced, and force draws a new site id")
    func createRefusesExisting() throws {
        // Given an existing station with one write
        let directory = TemporaryDirectory("station")
        let path = directory.path("station.db")
        let first = try Station.create(at: path, org: "yc-t01")
        try first.put(type: "member", fields: StationFixture.memberFields("yc-t01"))

        // When it is created again without and with force
        let refused = syncError { _ = try Station.create(at: path, org: "yc-t01") }
        let replaced = try Station.create(at: path, org: "yc-t02", force: true)

        // Then the first is refused and the second is an empty replica of its own
        #expect(refused?.code == .storeInvalid)
        #expect(refused?.message.contains("--force") == true)
        #expect(replaced.siteID != first.siteID)
        #expect(try replaced.status().outbox == 0)
        #expect(try Station.open(at: path).org == "yc-t02")
    }

    @Test("open of a missing file is not_found and tells to run init")
    func openMissing() {
        // Given no file
        let directory = TemporaryDirectory("station")

        // When it is opened
        let error = syncError { _ = try Station.open(at: directory.path("nothing.db")) }

        // Then the error says what to do
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("tributary init") == true)
    }

    @Test("open refuses a replica that is not a station, and a file that is not a replica")
    func openNotAStation() throws {
        // Given a bare replica and a text file
        let directory = TemporaryDirectory("station")
        _ = try ReplicaStore.open(path: directory.path("bare.db"), schema: TestSchemas.mixed)
        try Data("not sqlite at all, just some words to fill a page".utf8).write(to: directory.url.appendingPathComponent("text.db"))

        // When they are opened as stations
        let bare = syncError { _ = try Station.open(at: directory.path("bare.db"), schema: TestSchemas.mixed) }
        let text = syncError { _ = try Station.open(at: directory.path("text.db")) }

        // Then both are store_invalid
        #expect(bare?.code == .storeInvalid)
        #expect(text?.code == .storeInvalid)
    }

    @Test("create refuses a malformed org id")
    func malformedOrg() {
        let directory = TemporaryDirectory("station")
        let error = syncError { _ = try Station.create(at: directory.path("s.db"), org: "桃城镇 t01") }
        #expect(error?.code == .malformedID)
    }
}
