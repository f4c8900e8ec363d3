import CountyWork
import Foundation
import Logging
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// The PostgreSQL log is numbered by batch (SPEC §10 "Storage"): a database an older hub
/// numbered entry by entry keeps every position through migration 3, and new entries follow.
@Suite(.enabled(if: PostgresTestServer.shouldRun, "needs PostgreSQL: \(PostgresTestServer.unavailableReason ?? "")"))
struct PostgresLogBatchTests {
    @Test func entriesAnOlderHubNumberedKeepTheirPositionsAndNewOnesFollow() async throws {
        // Given a database as hub migration 2 left it, holding entries at positions 1, 2 and 4
        // (3 was compacted away) with the head at 4
        let server = try PostgresTestServer.require()
        let location = try PostgresLocation(url: try await server.newDatabaseOffPool("batches"))
        let schema = try CountyWorkSchema.load()
        _ = try await PostgresMigrations.migrate(location, seed: schema, logger: Logger(label: "test"), through: 2)
        let name = location.database
        try await PostgresTestServer.offPool {
            try server.psql(
                name,
                """
                INSERT INTO records (type, rid, scope, scope2, deleted) VALUES ('member', 'm-1', 'yc-t01', NULL, 0);
                INSERT INTO log (pos, site, seq, hlc, type, rid, scope, field, elem, value) VALUES
                    (1, 77, 1, 1000, 'member', 'm-1', 'yc-t01', 'name', '', '"A"'),
                    (2, 77, 2, 2000, 'member', 'm-1', 'yc-t01', 'category', '', '"elder"'),
                    (4, 77, 4, 4000, 'member', 'm-1', 'yc-t01', 'name', '', '"B"');
                UPDATE log_head SET last = 4, clock = 4000;
                """)
        }

        // When a hub of this version opens it (migration 3) and writes one more change
        let store = try await PostgresHubStore.open(location, schema: nil, wallClock: .fixed(1_800_000_000_000))
        defer { Task { await store.close() } }
        let migrated = try await store.log(after: 0, limit: 10)
        let fromTwo = try await store.log(after: 2, limit: 10)
        let atEnd = try await store.log(after: 4, limit: 10)
        let written = try await store.writeLocal([
            LocalEdit(key: FieldKey(type: "member", id: "m-1", field: "name"), scope: "yc-t01", value: .string("C"))
        ])
        let after = try await store.log(after: 4, limit: 10)

        // Then the old entries are where they were, in order, with their values; reading from
        // any position gives what follows it; the new entry takes the next position
        #expect(migrated.entries.map(\.position) == [1, 2, 4])
        #expect(migrated.entries.map(\.change.seq) == [1, 2, 4])
        #expect(migrated.entries.map(\.change.value) == [.string("A"), .string("elder"), .string("B")])
        #expect(!migrated.more && migrated.cursor == 4)
        #expect(fromTwo.entries.map(\.position) == [4])
        #expect(atEnd.entries.isEmpty && !atEnd.more)
        #expect(written.count == 1)
        #expect(after.entries.map(\.position) == [5])
        #expect(after.entries.first?.change.value == .string("C"))
    }

    @Test func aPagePartWayThroughABatchResumesInsideIt() async throws {
        // Given a hub whose one write transaction logged five entries (one batch)
        let server = try PostgresTestServer.require()
        let location = try PostgresLocation(url: try await server.newDatabaseOffPool("batches"))
        let store = try await PostgresHubStore.open(location, schema: try CountyWorkSchema.load(), wallClock: .fixed(1_800_000_000_000))
        defer { Task { await store.close() } }
        let edits = (0..<5).map { index in
            LocalEdit(key: FieldKey(type: "member", id: "m-\(index)", field: "name"), scope: "yc-t01", value: .string("N\(index)"))
        }
        _ = try await store.writeLocal(edits)
        let start = try await store.log(after: 0, limit: 100).cursor - 5

        // When the log is read two entries at a time
        var positions: [Int64] = []
        var cursor = start
        var pages = 0
        while true {
            let page = try await store.log(after: cursor, limit: 2)
            positions += page.entries.map(\.position)
            cursor = page.cursor
            pages += 1
            if !page.more { break }
        }

        // Then every entry arrives once, in order, across pages that end inside the batch
        #expect(positions == Array(start + 1...start + 5))
        #expect(pages == 3)
    }
}
