import CountyWork
import Foundation
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// A PostgreSQL server that restarts under a running hub (`pg_ctl stop -m immediate`, as a
/// crash leaves it): requests meanwhile are `unavailable` — never another error — and the hub
/// goes on once the server is back, with everything it acknowledged before (SPEC §10 "Storage").
@Suite(.enabled(if: PostgresTestServer.shouldRun, "needs PostgreSQL: \(PostgresTestServer.unavailableReason ?? "")"))
struct PostgresRestartTests {
    @Test func aServerRestartIsUnavailableThenTheHubGoesOn() async throws {
        // Given a hub store on a cluster of this test's own, with a station that pushed a member
        let server = try await PostgresTestServer.offPool { try PostgresTestServer.startPrivate() }
        defer { server.stop() }
        let store = try await PostgresHubStore.open(
            try PostgresLocation(url: try await server.newDatabaseOffPool("restart")), schema: try CountyWorkSchema.load(), wallClock: .fixed(HubFixture.wallMillis))
        defer { Task { await store.close() } }
        _ = try await store.importOrgUnits([HubOrgUnit(id: "yc", name: "永春县", kind: "county")])
        let (registered, _) = try await store.addStation(name: "county", org: "yc")
        let replica = try ReplicaStore.inMemory(schema: try CountyWorkSchema.load(), wallClock: .fixed(HubFixture.wallMillis - 60_000))
        try replica.writeLocal(memberEdits("m-1", unit: "yc"))
        try replica.writeLocal(memberEdits("m-2", unit: "yc"))
        let changes = try replica.outbox()
        let context = ValidationContext(wallMillis: HubFixture.wallMillis)
        _ = try await store.push(Array(changes[..<3]), from: registered, context: context)

        // When the server restarts
        try await PostgresTestServer.offPool { try server.restart() }

        // Then each request either works or is unavailable, until the pool has reconnected
        var outcomes: [String] = []
        var pushed: PushResponse?
        for _ in 0..<10 where pushed == nil {
            do {
                let station = try #require(try await store.stations().first)
                pushed = try await store.push(changes, from: station, context: context)
            } catch let error as SyncError {
                outcomes.append(error.code.rawValue)
            }
        }
        #expect(outcomes.allSatisfy { $0 == SyncErrorCode.unavailable.rawValue }, "\(outcomes)")
        // And the push after the restart takes the rest, the first three being held already
        let answer = try #require(pushed, "the hub never came back: \(outcomes)")
        #expect(answer.applied == 3 && answer.duplicates == 3 && answer.acked == changes.last!.seq, "\(answer)")
        #expect(try await store.log(after: 0, limit: 100).entries.filter { $0.change.type == "member" }.count == 6)
    }

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

    /// Found by the PostgreSQL soak in CI: a statement written to a connection the server had
    /// already closed — here, the publish of a push held open across a restart — is dropped by
    /// the closed channel, and postgres-nio 1.33 never answers it. The store watches each leased
    /// connection's close and ends the transaction `unavailable` instead.
    @Test func aStatementSentAfterTheServerClosedTheConnectionEndsInsteadOfHanging() async throws {
        // Given a hub store on a cluster of this test's own, and a push held right before it
        // numbers its changes
        let server = try await PostgresTestServer.offPool { try PostgresTestServer.startPrivate() }
        defer { server.stop() }
        let store = try await PostgresHubStore.open(
            try PostgresLocation(url: try await server.newDatabaseOffPool("afterclose")), schema: try CountyWorkSchema.load(),
            wallClock: .fixed(HubFixture.wallMillis))
        defer { Task { await store.close() } }
        _ = try await store.importOrgUnits([HubOrgUnit(id: "yc", name: "永春县", kind: "county")])
        let (station, _) = try await store.addStation(name: "county", org: "yc")
        let replica = try ReplicaStore.inMemory(schema: try CountyWorkSchema.load(), wallClock: .fixed(HubFixture.wallMillis - 60_000))
        try replica.writeLocal(memberEdits("m-1", unit: "yc"))
        let changes = try replica.outbox()
        let (held, hold) = AsyncStream.makeStream(of: Void.self)
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        store.hooks.beforePublish = {
            hold.yield()
            var waiting = released.makeAsyncIterator()
            _ = await waiting.next()
        }
        let (outcomes, report) = AsyncStream.makeStream(of: String?.self)
        let pushing = Task {
            do {
                _ = try await store.push(changes, from: station, context: ValidationContext(wallMillis: HubFixture.wallMillis))
                report.yield("answered")
            } catch let error as SyncError {
                report.yield(error.code.rawValue)
            } catch {
                report.yield("\(error)")
            }
        }
        defer { pushing.cancel() }
        var heldIterator = held.makeAsyncIterator()
        _ = await heldIterator.next()

        // When the server stops abruptly and starts again while the push is held, and the push
        // then goes on to its next statement on the connection the server closed
        try await PostgresTestServer.offPool { try server.restart() }
        try await Task.sleep(for: .milliseconds(300))
        release.yield()

        // Then the push ends unavailable (nothing kept), rather than waiting forever
        let bound = Task {
            try? await Task.sleep(for: .seconds(20))
            report.yield(nil)
        }
        defer { bound.cancel() }
        var iterator = outcomes.makeAsyncIterator()
        let outcome = await iterator.next() ?? nil
        #expect(outcome == SyncErrorCode.unavailable.rawValue, "the push \(outcome ?? "never ended")")
        // And once the server is back the same push is taken whole, once
        store.hooks.beforePublish = nil
        var answer: PushResponse?
        for _ in 0..<20 where answer == nil {
            answer = try? await store.push(changes, from: try #require(try await store.stations().first), context: ValidationContext(wallMillis: HubFixture.wallMillis))
        }
        let taken = try #require(answer, "the hub never came back")
        #expect(taken.applied == changes.count && taken.duplicates == 0, "\(taken)")
    }
}
