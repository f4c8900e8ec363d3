import CountyWork
import GRDB
import SyncModel
import SyncStore
import Testing
import TributaryTestSupport

@testable import SyncServer

/// The shipped migrations create the report facts from frozen SQL; the live table list the
/// refresher writes must stay what they (and any later migration) leave in a hub file.
@Suite("Report facts: frozen migrations and the live tables")
struct ReportFactsMigrationTests {
    let directory = TemporaryDirectory("facts-migration")

    @Test("a new hub file has exactly the facts tables and columns the refresher writes")
    func tablesMatch() async throws {
        // Given a hub file made by the migrations
        let store = try SQLiteHubStore.open(path: directory.path("hub.db"), schema: try CountyWorkSchema.load())

        // When its facts tables are read / Then each has rid, scope, deleted and the live columns, in order
        let onFile = try await store.replica.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rf\\_%' ESCAPE '\\' ORDER BY name")
        }
        #expect(onFile == ReportFacts.tables.map(\.name).sorted())
        for table in ReportFacts.tables {
            let columns = try await store.replica.writer.read { db in try db.columns(in: table.name).map(\.name) }
            #expect(columns == ["rid", "scope", "deleted"] + table.columns.map(\.column), "\(table.name)")
        }
        // And no trigger is left (the refresher keeps the facts)
        let triggers = try await store.replica.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") }
        #expect(triggers == 0)
    }

    @Test("a member written after the migrations has its facts row, as the live fill computes it")
    func refresherFills() async throws {
        // Given a hub with one member pushed through the store's own write path
        let store = try SQLiteHubStore.open(path: directory.path("hub.db"), schema: try CountyWorkSchema.load())
        let change = Change(
            site: SiteID(rawValue: 7), seq: 1, hlc: HLC(millis: 1_000, counter: 0), type: "member", id: "m-1", scope: "yc",
            field: "category", value: .string("retired"))
        _ = try store.replica.apply([change])

        // When the facts are read / Then the category is there
        let category = try await store.replica.writer.read { db in try String.fetchOne(db, sql: "SELECT category FROM rf_member WHERE rid = 'm-1'") }
        #expect(category == "retired")
    }
}
