import Foundation
import Logging
import SyncBundle
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// Schemas as data (SPEC §9): the hub holds its schema's versions, stations take the newer
/// one from their hub with the same binary, and a station weeks offline keeps pushing what it
/// wrote under its older version.
@Suite("Schema evolution")
struct SchemaEvolutionTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// `county-work/2` (Protocol/examples): the tea-house talk, `member.onlineGroup`, the
    /// courtyard meeting kind.
    static func version2() throws -> Schema {
        try JSONDecoder().decode(Schema.self, from: Data(contentsOf: URL(fileURLWithPath: GoldenVectors.directory).deletingLastPathComponent().appendingPathComponent("examples/county-work-2.json")))
    }

    /// `county-work/3`: version 2 plus a party lesson type (党课) and an optional `place` field on
    /// the tea-house talk.
    static func version3() throws -> Schema {
        var schema = try version2()
        schema.version = 3
        schema.types["teaHouseMeeting"]?.fields["place"] = FieldSpec(kind: .string)
        schema.types["partyLesson"] = RecordType(
            description: "a party lesson (党课) given to the members of a unit", scopeField: "orgUnitId",
            fields: [
                "orgUnitId": FieldSpec(kind: .ref, ref: "orgUnit", required: true),
                "title": FieldSpec(kind: .string, required: true),
                "date": FieldSpec(kind: .date, required: true),
                "attendees": FieldSpec(kind: .set, policy: .set, ref: "member"),
            ])
        return try Schema(name: schema.name, version: schema.version, types: schema.types)
    }

    func station(_ hub: HubFixture, _ name: String, org: String) throws -> Station {
        try Station.create(
            at: hub.directory.path("\(name)-\(UUID().uuidString).db"), org: org, hub: URL(string: "http://127.0.0.1:9")!,
            token: hub.tokens[name]!, schema: hub.schema, wallClock: .fixed(HubFixture.wallMillis - 60_000))
    }

    func sync(_ hub: HubFixture, _ name: String, _ station: Station) async throws -> SyncSummary {
        try await station.syncEngine(transport: hub.inProcess(name), logger: Self.logger).sync()
    }

    func expectAgrees(_ hub: HubFixture, _ name: String, _ station: Station, _ comment: Comment) async throws {
        #expect(try station.store.digest() == (try await hub.inProcess(name).scopeDigest()).digest, comment)
    }

    @Test("a station offline under version 1 pushes its whole outbox after the hub went to 2 and 3, takes 3, and writes its new types", arguments: HubStoreKind.all)
    func offlineAcrossVersions(_ kind: HubStoreKind) async throws {
        // Given: the township station writes offline under county-work/1 — members, a service
        // order and an activity — while the hub goes to version 2, then 3
        let hub = try await HubFixture(kind)
        let township = try station(hub, "t1", org: "yc-t01")
        try township.store.install(try await hub.inProcess("t1").snapshot(page: nil, limit: 100).records)
        let member = try township.put(type: "member", fields: ["name": "林秀英", "orgUnitId": "yc-t01-c01", "category": "retired"])
        try township.put(
            type: "serviceOrder",
            fields: ["orgUnitId": "yc-t01", "requester": "郑阿婆", "category": "applianceRepair", "orderedOn": "2026-11-02", "state": "ordered"])
        try township.put(
            type: "activity", fields: ["orgUnitId": "yc-t01-c01", "kind": "themedDay", "date": "2026-11-07", "title": "主题党日"],
            setChanges: ["attendees": [member: true]])
        let outbox = try township.store.outboxCount()
        #expect(try await hub.store.applySchema(try Self.version2()).version == 2)
        #expect(try await hub.store.applySchema(try Self.version3()).version == 3)
        #expect(try await hub.store.schemas().map(\.version) == [1, 2, 3])

        // And: the community station, which syncs meanwhile, takes version 3 and records a
        // tea-house talk (version 2) and a party lesson (version 3)
        let community = try station(hub, "c01", org: "yc-t01-c01")
        _ = try await sync(hub, "c01", community)
        #expect(community.schema.version == 3)
        let talk = try community.put(
            type: "teaHouseMeeting",
            fields: ["orgUnitId": "yc-t01-c01", "date": "2026-11-20", "topic": "加装电梯", "followUp": "recorded", "place": "留安茶馆"])
        try community.put(type: "partyLesson", fields: ["orgUnitId": "yc-t01-c01", "title": "学习新党章", "date": "2026-11-21"])
        let communityRound = try await sync(hub, "c01", community)
        #expect(communityRound.refused.isEmpty)

        // When: weeks later the township station syncs, still under version 1
        let round = try await sync(hub, "t1", township)

        // Then: its whole outbox is accepted, it takes version 3 (stored with its replica, so
        // the same binary opens it under version 3), receives the records written under 2 and 3,
        // and can write a record of a type added in 3
        #expect(round.pushed == outbox && round.refused.isEmpty)
        #expect(township.schema.version == 3)
        let reopened = try Station.open(at: township.path, wallClock: .fixed(HubFixture.wallMillis - 60_000))
        #expect(reopened.schema.version == 3)
        #expect(try reopened.record(type: "teaHouseMeeting", id: talk)?.values["place"] == "留安茶馆")
        try reopened.put(type: "partyLesson", fields: ["orgUnitId": "yc-t01", "title": "镇党委书记讲党课", "date": "2026-12-01"])
        let last = try await sync(hub, "t1", reopened)
        #expect(last.refused.isEmpty)
        _ = try await sync(hub, "c01", community)
        try await expectAgrees(hub, "t1", reopened, "township after taking version 3")
        try await expectAgrees(hub, "c01", community, "community on version 3")
    }

    @Test("the same through bundles: a USB station takes version 3 from the hub's bundle", arguments: HubStoreKind.all)
    func offlineAcrossVersionsByBundle(_ kind: HubStoreKind) async throws {
        // Given: a station that syncs only by bundles, writing under version 1, and a hub that
        // went to version 3 where another station wrote a party lesson
        let hub = try await HubFixture(kind)
        let bundles = HubBundles(store: hub.store, configuration: hub.configuration)
        let usb = try station(hub, "t1", org: "yc-t01")
        _ = try usb.store.writeLocal(memberEdits("m-usb", unit: "yc-t01-c01"))
        _ = try await hub.store.applySchema(try Self.version2())
        _ = try await hub.store.applySchema(try Self.version3())
        let community = try station(hub, "c01", org: "yc-t01-c01")
        _ = try await sync(hub, "c01", community)
        try community.put(type: "partyLesson", fields: ["orgUnitId": "yc-t01-c01", "title": "学习新党章", "date": "2026-11-21"])
        _ = try await sync(hub, "c01", community)

        // When: its bundle goes to the hub, and the hub's answer comes back
        let imported = try await bundles.importStationBundle(try usb.exportBundle().bytes)
        #expect(imported.refused.isEmpty && imported.applied == 3)
        let reply = try await bundles.exportBundle(station: hub.stationIDs["t1"]!).bytes
        _ = try usb.importBundle(reply)

        // Then: it holds version 3, the party lesson, and the hub's view of its scope
        #expect(usb.schema.version == 3)
        #expect(try usb.list(type: "partyLesson").count == 1)
        try await expectAgrees(hub, "t1", usb, "bundle station after taking version 3")
    }

    @Test("stations on different versions of one hub's schema push at once without refusals", arguments: HubStoreKind.all)
    func twoVersionsAtOnce(_ kind: HubStoreKind) async throws {
        // Given: a hub at version 2, one station that took it, one still on version 1
        let hub = try await HubFixture(kind)
        _ = try await hub.store.applySchema(try Self.version2())
        let current = try station(hub, "c01", org: "yc-t01-c01")
        _ = try await sync(hub, "c01", current)
        #expect(current.schema.version == 2)
        let old = try station(hub, "t2", org: "yc-t02")
        try current.put(type: "teaHouseMeeting", fields: ["orgUnitId": "yc-t01-c01", "date": "2026-11-20", "topic": "加装电梯", "followUp": "recorded"])
        _ = try old.store.writeLocal(memberEdits("m-old", unit: "yc-t02"))

        // When: both push at once, the old one stating version 1
        async let fromCurrent = try hub.inProcess("c01").push(PushRequest(changes: try current.store.outbox()))
        async let fromOld = try hub.inProcess("t2").push(PushRequest(changes: try old.store.outbox()))
        let (a, b) = try await (fromCurrent, fromOld)

        // Then: neither is refused anything
        #expect(a.refused.isEmpty && a.applied > 0)
        #expect(b.refused.isEmpty && b.applied == 3)
    }

    @Test("the hub refuses an incompatible schema and changes nothing; a station ahead of its hub is refused", arguments: HubStoreKind.all)
    func refusals(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        var breaking = try Self.version2()
        breaking.types["member"]?.fields["name"] = nil
        await expectCode(.schemaIncompatible) { try await hub.store.applySchema(breaking) }
        #expect(try await hub.store.schemas().map(\.version) == [1])
        #expect(WireProtocol.schemaRefusal("county-work/2", current: hub.schema)?.code == .schemaMismatch)
        #expect(WireProtocol.schemaRefusal("other-work/1", current: hub.schema)?.code == .schemaMismatch)
        #expect(WireProtocol.schemaRefusal("county-work/1", current: hub.schema) == nil)
    }
}
