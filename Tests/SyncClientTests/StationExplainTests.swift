import SyncClient
import SyncModel
import SyncStore
import Testing

@Suite("Station: explain, log and status")
struct StationExplainTests {
    @Test("explain shows every write of an lww conflict, the winner, the conflict and the rule")
    func lwwConflict() throws {
        // Given a concurrent conflict on a member's name
        let (fixture, id, base) = try StationResolveTests.concurrentNames()
        defer { withExtendedLifetime(fixture) {} }

        // When the name is explained
        let explanation = try fixture.station.explain(type: "member", id: id, field: "name")

        // Then it has three writes: the first overwritten, then one winner and one conflict
        let field = try #require(explanation.fields.first)
        #expect(explanation.fields.count == 1)
        #expect(field.policy == .lww)
        #expect(field.writes.count == 3)
        #expect(field.writes.first { $0.version == base }?.role == .superseded)
        #expect(field.writes.filter { $0.role == .winner }.count == 1)
        #expect(field.writes.filter { $0.role == .conflict }.count == 1)
        #expect(field.writes.filter(\.isHead).count == 2)
        #expect(field.rule.hasPrefix("lww: greatest version among heads \(field.winner!.text) wins over"))
        #expect(field.conflicts.count == 1)
        #expect(field.writes.filter(\.isOwn).allSatisfy { $0.syncState == .waiting })
        #expect(field.writes.filter { !$0.isOwn }.allSatisfy { $0.syncState == nil })
    }

    @Test("explain gives the rule of forward, set and immutable fields, and of a delete")
    func otherPolicies() throws {
        // Given a wish claimed by the peer while this station still shows it posted, a set, a transfer
        var fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        let wish = try station.put(
            type: "microWish",
            fields: ["orgUnitId": "yc-t01-c01", "beneficiary": "王奶奶", "wish": "助听器", "postedOn": "2025-03-01", "state": "posted"])
        try fixture.receive(type: "microWish", id: wish, fields: ["state": "claimed"], scope: "yc-t01-c01")
        let activity = try station.put(
            type: "activity", fields: ["orgUnitId": "yc-t01", "kind": "study", "date": "2025-04-26", "title": "学习"],
            setChanges: ["attendees": ["m-1": true]])
        let transfer = try station.put(
            type: "transfer",
            fields: ["memberId": "m-1", "fromOrgUnitId": "yc-t01", "toOrgUnitId": "yc-t02", "state": "requested", "requestedOn": "2025-03-01"])
        try station.delete(type: "activity", id: activity)

        // When they are explained
        let state = try #require(try station.explain(type: "microWish", id: wish, field: "state").fields.first)
        let attendees = try station.explain(type: "activity", id: activity)
        let memberId = try #require(try station.explain(type: "transfer", id: transfer, field: "memberId").fields.first)

        // Then each names its policy's rule
        #expect(state.rule.hasPrefix("forward: furthest state \"claimed\" stands (posted → claimed → fulfilled)"))
        #expect(state.writes.map(\.role).sorted { $0.rawValue < $1.rawValue } == [.outranked, .winner])
        let element = try #require(attendees.fields.first { $0.key.element == "m-1" })
        #expect(element.rule.hasPrefix("set: element \"m-1\" present since"))
        #expect(memberId.rule.hasPrefix("immutable: written once"))
        #expect(attendees.isDeleted)
        #expect(attendees.deletion?.hasPrefix("deleted: the record is deleted by") == true)
        #expect(syncError { _ = try station.explain(type: "member", id: "nobody") }?.code == .notFound)
    }

    @Test("log and explain show acknowledged, refused and waiting changes")
    func syncStates() throws {
        // Given three own changes, of which the hub acknowledged the first two and refused the third
        let fixture = try StationFixture()
        let station = fixture.station
        let id = try station.put(type: "member", fields: StationFixture.memberFields())
        let key = RecordKey(type: "member", id: id)
        let hubState = try station.store.read { db in try station.store.snapshotRecord(station.store.recordRow(key, db)!, inclusion: .whole, db) }
        try station.put(type: "member", id: id, fields: ["birthYear": 1958])
        let refusal = Refusal(origin: ChangeOrigin(site: station.siteID, seq: 3), error: SyncError(.outOfScope, "not yours"))
        try station.store.write { db in try station.store.acknowledge(upTo: 3, refusals: [refusal], records: [hubState!], db) }

        // When the log and the record are read
        let log = try station.log(limit: 10)
        let explanation = try station.explain(type: "member", id: id)

        // Then the log is newest first with each change's state, and explain agrees
        #expect(log.map(\.change.seq) == [4, 3, 2, 1])
        #expect(log.map(\.state) == [.waiting, .refused(refusal.error), .acknowledged, .acknowledged])
        let refused = explanation.fields.flatMap(\.writes).filter { $0.role == .refused }
        #expect(refused.map(\.origin.seq) == [3])
        #expect(try station.status().refused == 1)
        #expect(try station.status().outbox == 1)
    }

    @Test("status counts the outbox, conflicts, records and log")
    func status() throws {
        let (fixture, _, _) = try StationResolveTests.concurrentNames()
        defer { withExtendedLifetime(fixture) {} }
        let status = try fixture.station.status()

        #expect(status.settings.org == "yc-t01")
        #expect(status.settings.name == "桃城镇")
        #expect(status.siteID == fixture.station.siteID)
        #expect(status.outbox == 4)
        #expect(status.conflicts == 1)
        #expect(status.records == ["member": 1, "orgUnit": 4])
        #expect(status.logCount == 11 + 5)
        #expect(status.settings.lastSyncMillis == nil)
    }
}
