import CountyWork
import Foundation
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// A request whose statement is on the wire when the PostgreSQL server dies ends, as
/// `unavailable`, instead of hanging (SPEC §10 "Storage").
@Suite(.enabled(if: PostgresTestServer.shouldRun, "needs PostgreSQL: \(PostgresTestServer.unavailableReason ?? "")"))
struct PostgresInFlightTests {
    /// Found by the PostgreSQL soak (`Scripts/soak.sh --postgres`): the query failed when the
    /// server closed the connection, and the ROLLBACK the store then sent on that connection
    /// waited for an answer that never came (half of the runs) — so the station's turn in that
    /// hub process stayed taken and every later sync of that station through it timed out.
    @Test func aQueryInFlightWhenTheServerDiesEndsInsteadOfHanging() async throws {
        // Given a hub store on a cluster of this test's own, with a query running on the server
        let server = try await PostgresTestServer.offPool { try PostgresTestServer.startPrivate() }
        defer { server.stop() }
        let store = try await PostgresHubStore.open(
            try PostgresLocation(url: try await server.newDatabaseOffPool("inflight")), schema: try CountyWorkSchema.load(),
            wallClock: .fixed(HubFixture.wallMillis))
        defer { Task { await store.close() } }
        let (outcomes, report) = AsyncStream.makeStream(of: String?.self)
        let running = Task {
            do {
                _ = try await store.rawRows("SELECT pg_sleep(600)::text")
                report.yield("answered")
            } catch let error as SyncError {
                report.yield(error.code.rawValue)
            } catch {
                report.yield("\(error)")
            }
        }
        defer { running.cancel() }
        while try await store.rawRows("SELECT count(*)::text FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)::text'").first?.first != "1" {
            try await Task.yield()
        }

        // When the server stops abruptly (as a crash leaves it) and starts again
        try await PostgresTestServer.offPool { try server.restart() }

        // Then the request in flight ends (unavailable), rather than waiting for an answer that
        // can never come (20 s is only the bound on "never")
        let bound = Task {
            try? await Task.sleep(for: .seconds(20))
            report.yield(nil)
        }
        defer { bound.cancel() }
        var iterator = outcomes.makeAsyncIterator()
        let outcome = await iterator.next() ?? nil
        #expect(outcome == SyncErrorCode.unavailable.rawValue, "the query in flight \(outcome ?? "never ended")")
    }
}
