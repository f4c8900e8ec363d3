import Foundation
import GRDB
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// Group commit: pushes that arrive together share a transaction, each in a savepoint.
@Suite struct GroupCommitTests {
    @Test func concurrentPushesAreAnsweredOneByOneAndAFailedOneIsRolledBackAlone() async throws {
        // Given four stations with new members each, and one of them also holding a batch
        // that starts past what the hub holds (a seq gap)
        let hub = try await HubFixture()
        let names = ["t1", "t2", "c01", "county"]
        let units = ["t1": "yc-t01", "t2": "yc-t02", "c01": "yc-t01-c01", "county": "yc"]
        var batches: [(station: String, changes: [Change])] = []
        let gapped = try hub.replica("t2-gap")
        for name in names {
            let replica = try hub.replica(name)
            for index in 1...40 { try replica.writeLocal(memberEdits("m-\(name)-\(index)", unit: units[name]!)) }
            batches.append((name, try replica.outbox()))
        }
        for index in 1...3 { try gapped.writeLocal(memberEdits("m-gap-\(index)", unit: "yc-t02")) }
        let stations = try await Dictionary(uniqueKeysWithValues: hub.store.stations().map { ($0.name, $0) })
        let context = ValidationContext(wallMillis: HubFixture.wallMillis)

        // When they all push at once, the gapped batch (seq 4…) from a station of its own
        let gapBatch = Array(try gapped.outbox().dropFirst(3))
        let outcomes = await withTaskGroup(of: (String, Result<PushResponse, any Error>).self) { group in
            for (name, changes) in batches {
                group.addTask {
                    do { return (name, .success(try await hub.store.push(changes, from: stations[name]!, context: context))) }
                    catch { return (name, .failure(error)) }
                }
            }
            group.addTask {
                do { return ("county2", .success(try await hub.store.push(gapBatch, from: stations["county2"]!, context: context))) }
                catch { return ("county2", .failure(error)) }
            }
            var outcomes: [String: Result<PushResponse, any Error>] = [:]
            for await (name, outcome) in group { outcomes[name] = outcome }
            return outcomes
        }

        // Then every good push is applied and acknowledged with its own figures
        for (name, changes) in batches {
            let response = try #require(try outcomes[name]?.get())
            #expect(response.acked == changes.last!.seq && response.applied == changes.count && response.refused.isEmpty)
        }
        // And the gapped one got its own seq_gap, with nothing of it kept
        let failure = try #require(outcomes["county2"])
        #expect(throws: HubError.self) { try failure.get() }
        #expect(try hub.store.replica.record(RecordKey(type: "member", id: "m-gap-2")) == nil)
        // And the hub holds exactly the good changes, once each
        let expected = batches.reduce(0) { $0 + $1.changes.count }
        #expect(try hub.store.replica.logCount() == expected + (try orgTreeChanges(hub)))
    }

    @Test func reportFactsFollowEveryPushAsIfRebuiltFromScratch() async throws {
        // Given a hub receiving members, orders and time-bank entries, with later edits,
        // deletes and moves between units, pushed concurrently by two stations
        let hub = try await HubFixture()
        let stations = try await Dictionary(uniqueKeysWithValues: hub.store.stations().map { ($0.name, $0) })
        let context = ValidationContext(wallMillis: HubFixture.wallMillis)
        var random = SeededRandom(seed: 0x7ac7)
        let writers = [("t1", "yc-t01", "yc-t01-c01"), ("t2", "yc-t02", "yc-t02-c01")]
        var replicas: [String: ReplicaStore] = [:]
        for (name, unit, community) in writers {
            let replica = try hub.replica(name)
            for index in 1...30 {
                let id = "m-\(name)-\(index)"
                try replica.writeLocal(memberEdits(id, unit: index.isMultiple(of: 2) ? unit : community))
                try replica.writeLocal([
                    LocalEdit(key: FieldKey(type: "volunteerHours", id: "h-\(id)", field: "orgUnitId"), scope: unit, value: .string(unit)),
                    LocalEdit(key: FieldKey(type: "volunteerHours", id: "h-\(id)", field: "memberId"), scope: unit, value: .string(id)),
                    LocalEdit(key: FieldKey(type: "volunteerHours", id: "h-\(id)", field: "date"), scope: unit, value: .string("2025-0\(1 + index % 9)-1\(index % 10)")),
                    LocalEdit(key: FieldKey(type: "volunteerHours", id: "h-\(id)", field: "hours"), scope: unit, value: .number(Double(1 + random.next() % 8))),
                ])
            }
            for index in stride(from: 1, through: 30, by: 3) {
                let id = "m-\(name)-\(index)"
                try replica.writeLocal([LocalEdit(key: FieldKey(type: "member", id: id, field: "category"), scope: unit, value: "floating")])
                try replica.writeLocal([LocalEdit(key: FieldKey(type: "member", id: id, field: "orgUnitId"), scope: unit, value: .string(community))])
            }
            try replica.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-\(name)-5", field: Schema.deletedField), scope: unit, value: true)])
            replicas[name] = replica
        }

        // When both push their outbox in small batches at the same time
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (name, _, _) in writers {
                let changes = try replicas[name]!.outbox()
                group.addTask {
                    for start in stride(from: 0, to: changes.count, by: 37) {
                        let response = try await hub.store.push(Array(changes[start..<min(start + 37, changes.count)]), from: stations[name]!, context: context)
                        #expect(response.refused.isEmpty, "\(response.refused)")
                    }
                }
            }
            try await group.waitForAll()
        }

        // Then each facts table equals the facts computed afresh from the merged records
        try await hub.store.replica.writer.write { db in
            for table in ["rf_member", "rf_hours"] {
                let kept = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rid")
                #expect(kept.count > 0)
                try db.inSavepoint {
                    try db.execute(sql: "DELETE FROM \(table)")
                    try db.execute(sql: factsFill(table))
                    let fresh = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rid")
                    #expect(kept == fresh, "\(table) differs from a rebuild")
                    return .rollback
                }
            }
        }
    }

    /// The org tree the fixture imported, as hub changes in the log.
    private func orgTreeChanges(_ hub: HubFixture) throws -> Int {
        try hub.store.replica.changes(after: 0, limit: 100_000).filter { $0.change.type == "orgUnit" }.count
    }

    /// The fill statement of a facts table, as the migration builds it.
    private func factsFill(_ table: String) -> String {
        switch table {
        case "rf_member":
            """
            INSERT INTO rf_member (rid, scope, deleted, category, name)
            SELECT r.rid, r.scope, r.deleted,
                (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'category' AND f.elem = ''),
                (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'name' AND f.elem = '')
            FROM records r WHERE r.type = 'member'
            """
        default:
            """
            INSERT INTO rf_hours (rid, scope, deleted, member, team, date, month, hours)
            SELECT r.rid, r.scope, r.deleted,
                (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'memberId' AND f.elem = ''),
                (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'teamId' AND f.elem = ''),
                (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'date' AND f.elem = ''),
                (SELECT substr(value, 1, 7) FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'date' AND f.elem = ''),
                (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'hours' AND f.elem = '')
            FROM records r WHERE r.type = 'volunteerHours'
            """
        }
    }
}
