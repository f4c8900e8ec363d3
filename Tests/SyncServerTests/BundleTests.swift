import Foundation
import SyncBundle
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// Offline bundles (SPEC §13): a station's outbox carried to the hub on a stick, the hub's
/// answer carried back — and every way a file can be refused, with nothing applied.
@Suite("Offline bundles")
struct BundleTests {
    /// A station replica of the fixture's station `name`, holding its token, with no link.
    static func station(_ hub: HubFixture, _ name: String, org: String) throws -> Station {
        try Station.create(
            at: hub.directory.path("\(name)-\(UUID().uuidString).db"), org: org, hub: URL(string: "http://127.0.0.1:9")!,
            token: hub.tokens[name]!, schema: hub.schema, wallClock: .fixed(HubFixture.wallMillis - 60_000))
    }

    static func hubStation(_ hub: HubFixture, _ name: String) async throws -> HubStation {
        try await hub.store.bundleStation(id: hub.stationIDs[name]!).station
    }

    @Test("a station's outbox goes to the hub and the hub's answer comes back: outbox cleared, digests equal", arguments: HubStoreKind.all)
    func roundTrip(_ kind: HubStoreKind) async throws {
        // Given: a township station that recorded 30 members offline, and a community station
        // that has never synced.
        let hub = try await HubFixture(kind)
        let bundles = HubBundles(store: hub.store, configuration: hub.configuration)
        let township = try Self.station(hub, "t1", org: "yc-t01")
        let community = try Self.station(hub, "c01", org: "yc-t01-c01")
        for index in 0..<30 {
            _ = try township.store.writeLocal(memberEdits("m-\(index)", unit: index.isMultiple(of: 2) ? "yc-t01-c01" : "yc-t01-c02", phone: "1390000\(index)"))
        }
        #expect(try township.store.outboxCount() == 120)

        // When: the township's bundle is imported at the hub, and the reply at the township.
        let (outbound, exported) = try township.exportBundle()
        #expect(exported.changes == 120 && exported.firstSeq == 1 && exported.lastSeq == 120)
        let imported = try await bundles.importStationBundle(outbound)
        #expect(imported.applied == 120 && imported.duplicates == 0 && imported.refused.isEmpty && imported.acked == 120)
        #expect(try township.store.outboxCount() == 120, "nothing leaves the outbox before the hub's proof arrives")
        let (reply, _) = try await bundles.exportBundle(station: hub.stationIDs["t1"]!)
        let back = try township.importBundle(reply)

        // Then: the outbox is empty, and the township holds what the hub holds for it.
        #expect(back.acked == 120 && back.cleared == 120 && !back.alreadyApplied)
        #expect(try township.store.outboxCount() == 0)
        #expect(try township.store.digest() == (try await hub.store.digest(for: try await Self.hubStation(hub, "t1"))).digest)

        // And: the community station bootstraps from a bundle alone (pull from 0), personal
        // fields and scope applied by the hub as for a pull.
        let (forCommunity, report) = try await bundles.exportBundle(station: hub.stationIDs["c01"]!)
        #expect(report.from == 0 && report.changes > 60)
        let installed = try community.importBundle(forCommunity)
        #expect(installed.pulled == report.changes)
        #expect(try community.store.records(ofType: "member").count == 15)
        #expect(try community.store.digest() == (try await hub.store.digest(for: try await Self.hubStation(hub, "c01"))).digest)

        // And: importing either bundle again changes nothing.
        let again = try await bundles.importStationBundle(outbound)
        #expect(again.applied == 0 && again.duplicates == 120 && again.acked == 120)
        let replayed = try township.importBundle(reply)
        #expect(replayed.alreadyApplied && replayed.pulled == 0)
        #expect(try community.importBundle(forCommunity).alreadyApplied)
    }

    @Test("the next round continues from the cursor the station reported, and the hub's refusals reach the station", arguments: HubStoreKind.all)
    func secondRoundAndRefusals(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        let bundles = HubBundles(store: hub.store, configuration: hub.configuration)
        let township = try Self.station(hub, "t1", org: "yc-t01")
        _ = try township.store.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        _ = try await bundles.importStationBundle(try township.exportBundle().bytes)
        _ = try township.importBundle(try await bundles.exportBundle(station: hub.stationIDs["t1"]!).bytes)
        let cursor = try #require(try township.store.read { db in try Meta.pullCursor.read(db) }.flatMap { Int64($0) })

        // Given: the county writes in the township's scope online, and the township writes one
        // member in its scope and one outside it (the hub refuses that one: out_of_scope).
        _ = try await hub.hubWrite(memberEdits("m-county", unit: "yc-t01"))
        _ = try township.store.writeLocal(memberEdits("m-2", unit: "yc-t01-c02"))
        _ = try township.store.writeLocal(memberEdits("m-far", unit: "yc-t02"))

        // When: the next bundle goes in, with the reply written right away (import --reply).
        let imported = try await bundles.importStationBundle(try township.exportBundle().bytes)
        let (reply, report) = try await bundles.exportBundle(station: imported.station)
        let back = try township.importBundle(reply)

        // Then: the reply starts at the township's cursor; the refusal is kept at the station,
        // the outbox is clear, and the township agrees with the hub's view of it.
        #expect(imported.applied == 3 && imported.refused.count == 3 && imported.refused.allSatisfy { $0.code == .outOfScope })
        #expect(report.from == cursor && report.changes == 3)
        #expect(back.refused.count == 3 && back.pulled == 3)
        #expect(try township.store.outboxCount() == 0)
        #expect(try township.store.refusedChanges().count == 3)
        #expect(try township.store.digest() == (try await hub.store.digest(for: try await Self.hubStation(hub, "t1"))).digest)
    }

    @Test("after the hub is restored from an older backup, an offline station learns it from a bundle and carries the lost changes again", arguments: HubStoreKind.all)
    func restoredHub(_ kind: HubStoreKind) async throws {
        // Given: a township that synced three changes by stick, a hub backup, then three more.
        let hub = try await HubFixture(kind)
        let township = try Self.station(hub, "t1", org: "yc-t01")
        let id = hub.stationIDs["t1"]!
        let bundles = HubBundles(store: hub.store, configuration: hub.configuration)
        func round(_ bundles: HubBundles) async throws -> StationImportReport {
            _ = try await bundles.importStationBundle(try township.exportBundle().bytes)
            return try township.importBundle(try await bundles.exportBundle(station: id).bytes)
        }
        _ = try township.store.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        _ = try await round(bundles)
        let backupPath = hub.directory.path(kind == .sqlite ? "backup.db" : "backup.dump")
        _ = try await hub.store.backup(to: backupPath)
        _ = try township.store.writeLocal(memberEdits("m-2", unit: "yc-t01-c01"))
        #expect(try await round(bundles).acked == 6)

        // When: the hub is restored from the backup, and the township's next bundle arrives.
        let restored = try await hub.restoredCopy(from: backupPath)
        let after = HubBundles(store: restored, configuration: hub.configuration)
        _ = try township.store.writeLocal(memberEdits("m-3", unit: "yc-t01-c01"))
        await expectCode(.seqGap) { try await after.importStationBundle(try township.exportBundle().bytes) }

        // Then: the hub's bundle tells the station (new epoch, acked 3): the lost changes wait
        // in its outbox again, and the next round brings the hub and the station level.
        let told = try township.importBundle(try await after.exportBundle(station: id).bytes)
        #expect(told.rewound && told.acked == 3)
        #expect(try township.store.outboxCount() == 6)
        let level = try await round(after)
        #expect(level.acked == 9 && !level.rewound)
        #expect(try township.store.outboxCount() == 0)
        #expect(try township.store.digest() == (try await restored.digest(for: try await restored.bundleStation(id: id).station)).digest)
    }

    /// A way of spoiling a good bundle.
    struct Spoil: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let code: SyncErrorCode
        let apply: @Sendable ([UInt8]) -> [UInt8]

        static func replacing(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8] {
            let text = Array(old.utf8)
            guard let start = (0...(bytes.count - text.count)).first(where: { bytes[$0..<$0 + text.count].elementsEqual(text) }) else {
                return bytes
            }
            return Array(bytes[..<start]) + Array(new.utf8) + Array(bytes[(start + text.count)...])
        }

        static func headerEnd(_ bytes: [UInt8]) -> Int {
            bytes.indices.filter { bytes[$0] == 0x0A }[1]
        }

        static let all: [Spoil] = [
            Spoil(testDescription: "a flipped content byte", code: .bundleTampered) { bytes in
                var bytes = bytes
                bytes[headerEnd(bytes) + 20] ^= 0x01
                return bytes
            },
            Spoil(testDescription: "an edited header", code: .bundleTampered) { replacing("\"created\":", with: "\"created\":1", in: $0) },
            Spoil(testDescription: "a forged signature or MAC", code: .bundleTampered) { bytes in
                var bytes = bytes
                bytes[bytes.count - 2] = bytes[bytes.count - 2] == 0x30 ? 0x31 : 0x30
                return bytes
            },
            Spoil(testDescription: "a file cut in the content", code: .bundleTruncated) { Array($0.prefix(headerEnd($0) + 10)) },
            Spoil(testDescription: "a file cut in the trailer", code: .bundleTruncated) { Array($0.dropLast(20)) },
            Spoil(testDescription: "a file cut in the first line", code: .bundleTruncated) { Array($0.prefix(9)) },
            Spoil(testDescription: "format version 2", code: .bundleVersion) { replacing("TRIBUTARY-BUNDLE 1", with: "TRIBUTARY-BUNDLE 2", in: $0) },
            Spoil(testDescription: "another kind of file", code: .bundleInvalid) { _ in Array("{\"type\":\"member\"}\n".utf8) },
            Spoil(testDescription: "an empty file", code: .bundleInvalid) { _ in [] },
            Spoil(testDescription: "bytes after the trailer", code: .bundleInvalid) { $0 + [0x0A] },
        ]
    }

    @Test("the hub refuses a spoiled station bundle and applies nothing", arguments: HubStoreKind.all, Spoil.all)
    func hubRefuses(_ kind: HubStoreKind, _ spoil: Spoil) async throws {
        let hub = try await HubFixture(kind)
        let township = try Self.station(hub, "t1", org: "yc-t01")
        _ = try township.store.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        let before = try await hub.store.digest(for: nil).digest
        let spoiled = spoil.apply(try township.exportBundle().bytes)
        await expectCode(spoil.code) { try await HubBundles(store: hub.store, configuration: hub.configuration).importStationBundle(spoiled) }
        #expect(try await hub.store.digest(for: nil).digest == before)
        #expect(try await Self.hubStation(hub, "t1").acked == 0)
    }

    @Test("the station refuses a spoiled hub bundle and applies nothing", arguments: HubStoreKind.all, Spoil.all)
    func stationRefuses(_ kind: HubStoreKind, _ spoil: Spoil) async throws {
        let hub = try await HubFixture(kind)
        let township = try Self.station(hub, "t1", org: "yc-t01")
        _ = try township.store.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))
        let bundles = HubBundles(store: hub.store, configuration: hub.configuration)
        _ = try await bundles.importStationBundle(try township.exportBundle().bytes)
        _ = try await hub.hubWrite(memberEdits("m-county", unit: "yc-t01"))
        let spoiled = spoil.apply(try await bundles.exportBundle(station: hub.stationIDs["t1"]!).bytes)
        let before = try township.store.digest()
        await expectCode(spoil.code) { try township.importBundle(spoiled) }
        #expect(try township.store.digest() == before)
        #expect(try township.store.outboxCount() == 3)
    }

    @Test("bundles for another station, from another hub, or for the other direction are foreign", arguments: HubStoreKind.all)
    func foreign(_ kind: HubStoreKind) async throws {
        // Given: two hubs, each with a township station; the first hub's townships t1 and t2.
        let hub = try await HubFixture(kind)
        let other = try await HubFixture(kind)
        let bundles = HubBundles(store: hub.store, configuration: hub.configuration)
        let township = try Self.station(hub, "t1", org: "yc-t01")
        let neighbour = try Self.station(hub, "t2", org: "yc-t02")
        let stranger = try Self.station(other, "t1", org: "yc-t01")
        for station in [township, neighbour, stranger] {
            _ = try station.store.writeLocal(memberEdits("m-\(station.siteID.hex)", unit: station.org))
        }
        _ = try await bundles.importStationBundle(try neighbour.exportBundle().bytes)

        // Then: the hub refuses a station bundle of another hub's station…
        await expectCode(.bundleForeign) { try await bundles.importStationBundle(try stranger.exportBundle().bytes) }
        // …and a hub bundle fed back to it.
        let forNeighbour = try await bundles.exportBundle(station: hub.stationIDs["t2"]!).bytes
        await expectCode(.bundleForeign) { try await bundles.importStationBundle(forNeighbour) }
        // The station refuses the hub's bundle for another station…
        await expectCode(.bundleForeign) { try township.importBundle(forNeighbour) }
        // …one that another hub made for its station of the same name…
        let otherBundles = HubBundles(store: other.store, configuration: other.configuration)
        await expectCode(.bundleForeign) { try township.importBundle(try await otherBundles.exportBundle(station: other.stationIDs["t1"]!).bytes) }
        // …and a station bundle (its own or another's).
        await expectCode(.bundleForeign) { try township.importBundle(try township.exportBundle().bytes) }
        #expect(try township.store.read { db in try Meta.pullCursor.read(db) } == nil)
        #expect(try await Self.hubStation(hub, "t1").acked == 0)
    }

    @Test("a hub bundle that skips part of the log, a reset replica, another schema and a revoked token are refused", arguments: HubStoreKind.all)
    func otherRefusals(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        let bundles = HubBundles(store: hub.store, configuration: hub.configuration)
        let township = try Self.station(hub, "t1", org: "yc-t01")
        _ = try township.store.writeLocal(memberEdits("m-1", unit: "yc-t01-c01"))

        // A bundle that does not continue where the station stands: bundle_gap.
        _ = try await bundles.importStationBundle(try township.exportBundle().bytes)
        let first = try await bundles.exportBundle(station: hub.stationIDs["t1"]!).bytes
        _ = try await hub.hubWrite(memberEdits("m-county", unit: "yc-t01"))
        let ahead = try await bundles.exportBundle(station: hub.stationIDs["t1"]!, cursor: 3).bytes
        await expectCode(.bundleGap) { try township.importBundle(ahead) }
        #expect(try township.store.outboxCount() == 3, "nothing of a refused bundle is applied, not even its acknowledgement")
        _ = try township.importBundle(first)

        // A reset replica with the old token (another site): wrong_site, as for a push.
        let reset = try Self.station(hub, "t1", org: "yc-t01")
        _ = try reset.store.writeLocal(memberEdits("m-reset", unit: "yc-t01-c01"))
        await expectCode(.wrongSite) { try await bundles.importStationBundle(try reset.exportBundle().bytes) }

        // A station on a newer schema version than the hub's: its bundle is refused
        // (schema_mismatch: the hub could not check its changes), while the hub's bundle, written
        // under an older version, applies at it (SPEC §9). Another schema: refused both ways.
        var newer = hub.schema
        newer.version += 1
        let upgraded = try Station.create(
            at: hub.directory.path("newer.db"), org: "yc-t01", hub: URL(string: "http://127.0.0.1:9")!, token: hub.tokens["t1"]!,
            schema: newer, wallClock: .fixed(HubFixture.wallMillis - 60_000))
        _ = try upgraded.store.writeLocal(memberEdits("m-new", unit: "yc-t01-c01"))
        await expectCode(.schemaMismatch) { try await bundles.importStationBundle(try upgraded.exportBundle().bytes) }
        let newerCommunity = try Station.create(
            at: hub.directory.path("newer-c01.db"), org: "yc-t01-c01", hub: URL(string: "http://127.0.0.1:9")!,
            token: hub.tokens["c01"]!, schema: newer, wallClock: .fixed(HubFixture.wallMillis - 60_000))
        let forCommunity = try await bundles.exportBundle(station: hub.stationIDs["c01"]!).bytes
        _ = try newerCommunity.importBundle(forCommunity)
        #expect(try newerCommunity.store.read { db in try Meta.pullCursor.read(db) } != nil)
        var other = try Schema(name: "another-work", version: 1, types: hub.schema.types)
        other.version = 1
        let foreign = try Station.create(
            at: hub.directory.path("foreign-c01.db"), org: "yc-t01-c01", hub: URL(string: "http://127.0.0.1:9")!,
            token: hub.tokens["c01"]!, schema: other, wallClock: .fixed(HubFixture.wallMillis - 60_000))
        await expectCode(.schemaMismatch) { try foreign.importBundle(forCommunity) }
        #expect(try foreign.store.read { db in try Meta.pullCursor.read(db) } == nil)

        // A revoked station's bundle: token_revoked.
        _ = try await hub.store.revokeStation(id: hub.stationIDs["t1"]!)
        _ = try township.store.writeLocal(memberEdits("m-2", unit: "yc-t01-c01"))
        await expectCode(.tokenRevoked) { try await bundles.importStationBundle(try township.exportBundle().bytes) }
        #expect(try await Self.hubStation(hub, "t1").acked == 3)
    }
}

/// Expects `body` to throw a ``SyncError`` with `code`.
func expectCode(
    _ code: SyncErrorCode, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> some Any
) async {
    do {
        _ = try await body()
        Issue.record("expected \(code.rawValue), got success", sourceLocation: sourceLocation)
    } catch let error as SyncError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
}
