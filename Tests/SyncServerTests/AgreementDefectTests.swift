import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// One test per defect of issue 16, each the smallest history that shows it; they failed on
/// main at f66d91b (see the closing note for before/after). Every test ends with the
/// agreement checks of the property test (`AgreementWorld.check`), plus the specific symptom.
@Suite("Agreement defects (issue 16)")
struct AgreementDefectTests {
    /// A record with a personal field, created at `unit`.
    static func create(_ type: String, _ id: String, at unit: String, personal: String, by station: AgreementStation) throws {
        var fields: [String: FieldValue] = ["orgUnitId": .string(unit)]
        if type == "member" {
            fields["name"] = "林秀英"
            fields["category"] = "retired"
        } else {
            fields["category"] = "elderCare"
            fields["orderedOn"] = "2026-03-01"
            fields["requester"] = "王芳"
            fields["state"] = "ordered"
        }
        fields[personal] = .string(personal == "idNumber" ? "350525198001010011" : "13800000011")
        try station.station.put(type: type, id: id, fields: fields)
    }

    /// Which record type, personal field, and pair of units (one under the other) a move case uses.
    struct MoveCase: Sendable, CustomTestStringConvertible {
        var type: String
        var field: String
        var low: String
        var high: String
        var testDescription: String { "\(type).\(field) between \(low) and \(high)" }
    }

    static let moveCases = [
        MoveCase(type: "member", field: "phone", low: "yc-t01-c01", high: "yc-t01"),
        MoveCase(type: "serviceOrder", field: "requesterPhone", low: "yc-t01-c01", high: "yc-t01"),
        MoveCase(type: "member", field: "idNumber", low: "yc-t01", high: "yc"),
        MoveCase(type: "serviceOrder", field: "requesterPhone", low: "yc-t01", high: "yc"),
    ]

    // Defect 1: the move handling looks only at *sees* before and after, not at *owns*.
    @Test("a record moved up out of a station's subtree takes its personal fields with it", arguments: moveCases)
    func personalFieldsLeaveOnMoveUp(_ move: MoveCase) async throws {
        // Given: a station at the low unit and one at the unit above, both bootstrapped; the
        // low one creates a record at its unit with a personal field, and both sync.
        let world = try await AgreementWorld()
        let low = try await world.addStation("low", at: move.low)
        let high = try await world.addStation("high", at: move.high)
        try await low.synced()
        try await high.synced()
        try Self.create(move.type, "r1", at: move.low, personal: move.field, by: low)
        try await low.synced()
        try await high.synced()

        // When: the upper station moves the record up to its own unit, and both sync.
        try high.station.put(type: move.type, id: "r1", fields: ["orgUnitId": .string(move.high)])
        try await high.synced()
        try await low.synced()

        // Then: the low station still sees the record (its unit is an ancestor) but no longer
        // owns it, so it holds no personal field of it — and agrees with the hub.
        let record = try #require(try low.store.record(RecordKey(type: move.type, id: "r1")))
        #expect(record.fields[move.field] == nil, "\(move.field) stayed at a station that no longer owns the record")
        let divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    // Defect 1, the other direction: a record moved down into the subtree arrives without
    // the personal fields the station now owns.
    @Test("a record moved down into a station's subtree brings its personal fields", arguments: moveCases)
    func personalFieldsArriveOnMoveDown(_ move: MoveCase) async throws {
        // Given: the upper station creates a record at its unit with a personal field; the low
        // station sees it without the field.
        let world = try await AgreementWorld()
        let low = try await world.addStation("low", at: move.low)
        let high = try await world.addStation("high", at: move.high)
        try await low.synced()
        try await high.synced()
        try Self.create(move.type, "r2", at: move.high, personal: move.field, by: high)
        try await high.synced()
        try await low.synced()
        #expect(try low.store.record(RecordKey(type: move.type, id: "r2"))?.fields[move.field] == nil)

        // When: the upper station moves it down to the low unit, and both sync.
        try high.station.put(type: move.type, id: "r2", fields: ["orgUnitId": .string(move.low)])
        try await high.synced()
        try await low.synced()

        // Then: the low station now owns it and holds its personal field, as the hub does.
        let record = try #require(try low.store.record(RecordKey(type: move.type, id: "r2")))
        #expect(record.fields[move.field] != nil, "\(move.field) never reached the station that now owns the record")
        let divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    // Defect 2: a refused write "un-merges" its field from the local log, which holds no
    // history of records a snapshot installed.
    @Test("a write the hub refuses on a bootstrapped station leaves the hub's value, not nothing")
    func refusedWriteOnABootstrappedStation() async throws {
        // Given: a township station that bootstrapped from a snapshot (its own orgUnit record
        // came in the snapshot, with no log entry).
        let world = try await AgreementWorld()
        let township = try await world.addStation("t01", at: "yc-t01")
        try await township.synced()

        // When: the clerk renames the township, as README shows (`tributary put orgUnit …`) —
        // the station may refuse it at once; if it lets it through, the hub refuses it — and
        // the station syncs.
        _ = try? township.station.put(type: "orgUnit", id: "yc-t01", fields: ["name": "改名"])
        try await township.synced()

        // Then: the station shows the name the hub holds, and agrees with the hub.
        let unit = try #require(try township.store.record(RecordKey(type: "orgUnit", id: "yc-t01")))
        #expect(unit.values["name"] == "桃城镇")
        let divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    // Defect 2, second symptom: a record whose creation was refused leaves a `records` row
    // that `tributary status` counts.
    @Test("a record whose creation the hub refused is not counted by status")
    func refusedCreationLeavesNoRecord() async throws {
        // Given: a bootstrapped township station.
        let world = try await AgreementWorld()
        let township = try await world.addStation("t01", at: "yc-t01")
        try await township.synced()
        let before = try township.station.status().records

        // When: it creates an org unit under its own (the planner may refuse it at once), and
        // another implementation's station writes a member outside its subtree straight into
        // the replica; the station syncs and the hub refuses what reached it.
        _ = try? township.station.put(type: "orgUnit", id: "yc-t01-c09", fields: ["name": "新社区", "kind": "community", "parentId": "yc-t01"])
        try township.store.writeLocal([
            LocalEdit(key: FieldKey(type: "member", id: "m-out", field: "name"), scope: "yc-t02", value: "王芳"),
            LocalEdit(key: FieldKey(type: "member", id: "m-out", field: "orgUnitId"), scope: "yc-t02", value: "yc-t02"),
            LocalEdit(key: FieldKey(type: "member", id: "m-out", field: "category"), scope: "yc-t02", value: "retired"),
        ])
        try await township.synced()

        // Then: neither record is held or counted: the station's status counts what it held
        // before, and it agrees with the hub.
        #expect(try township.store.record(RecordKey(type: "orgUnit", id: "yc-t01-c09")) == nil)
        #expect(try township.store.record(RecordKey(type: "member", id: "m-out")) == nil)
        #expect(try township.station.status().records == before)
        let divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }
}
