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
    /// A hub store on a cluster of the test's own, with the county unit and one station on it.
    struct RestartHub {
        let server: PostgresTestServer
        let store: PostgresHubStore
        let station: HubStation

        init(_ name: String) async throws {
            server = try await PostgresTestServer.offPool { try PostgresTestServer.startPrivate() }
            store = try await PostgresHubStore.open(
                try PostgresLocation(url: try await server.newDatabaseOffPool(name)), schema: try CountyWorkSchema.load(),
                wallClock: .fixed(HubFixture.wallMillis))
            _ = try await store.importOrgUnits([HubOrgUnit(id: "yc", name: "永春县", kind: "county")])
            station = try await store.addStation(name: "county", org: "yc").0
        }

        /// The station's changes for `members` new members of the county.
        func changes(members: Int) throws -> [Change] {
            let replica = try ReplicaStore.inMemory(schema: try CountyWorkSchema.load(), wallClock: .fixed(HubFixture.wallMillis - 60_000))
            for index in 1...members { try replica.writeLocal(memberEdits("m-\(index)", unit: "yc")) }
            return try replica.outbox()
        }

        /// Pushes as the station (read again: its site is bound after the first push).
        func push(_ changes: [Change]) async throws -> PushResponse {
            let station = try #require(try await store.stations().first)
            return try await store.push(changes, from: station, context: ValidationContext(wallMillis: HubFixture.wallMillis))
        }

        /// Stops the server abruptly (as a crash leaves it) and starts it again.
        func restart() async throws {
            try await PostgresTestServer.offPool { [server] in try server.restart() }
        }

        /// Removes the cluster (and ends the store's pool).
        func stop() {
            Task { [store] in await store.close() }
            server.stop()
        }
    }

    /// How a request ends: "answered", a ``SyncError``'s code, or another error's text.
    struct Ending {
        private let outcomes: AsyncStream<String?>
        private let report: AsyncStream<String?>.Continuation
        let task: Task<Void, Never>

        init(_ request: @escaping @Sendable () async throws -> Void) {
            let (outcomes, report) = AsyncStream.makeStream(of: String?.self)
            self.outcomes = outcomes
            self.report = report
            task = Task {
                do {
                    try await request()
                    report.yield("answered")
                } catch let error as SyncError {
                    report.yield(error.code.rawValue)
                } catch {
                    report.yield("\(error)")
                }
            }
        }

        /// How the request ended, or `nil` when it has not within `bound` (the bound on "never").
        func wait(bound: Duration = .seconds(20)) async -> String? {
            let report = self.report
            let timer = Task {
                try? await Task.sleep(for: bound)
                report.yield(nil)
            }
            defer { timer.cancel() }
            var iterator = outcomes.makeAsyncIterator()
            return await iterator.next() ?? nil
        }
    }

    @Test func aServerRestartIsUnavailableThenTheHubGoesOn() async throws {
        // Given a hub store on a cluster of this test's own, with a station that pushed a member
        let hub = try await RestartHub("restart")
        defer { hub.stop() }
        let changes = try hub.changes(members: 2)
        _ = try await hub.push(Array(changes[..<3]))

        // When the server restarts
        try await hub.restart()

        // Then each request either works or is unavailable, until the pool has reconnected
        var outcomes: [String] = []
        var pushed: PushResponse?
        for _ in 0..<10 where pushed == nil {
            do {
                pushed = try await hub.push(changes)
            } catch let error as SyncError {
                outcomes.append(error.code.rawValue)
            }
        }
        #expect(outcomes.allSatisfy { $0 == SyncErrorCode.unavailable.rawValue }, "\(outcomes)")
        // And the push after the restart takes the rest, the first three being held already
        let answer = try #require(pushed, "the hub never came back: \(outcomes)")
        #expect(answer.applied == 3 && answer.duplicates == 3 && answer.acked == changes.last!.seq, "\(answer)")
        #expect(try await hub.store.log(after: 0, limit: 100).entries.filter { $0.change.type == "member" }.count == 6)
    }

    /// Found by the PostgreSQL soak (`Scripts/soak.sh --postgres`): the query failed when the
    /// server closed the connection, and the ROLLBACK the store then sent on that connection
    /// waited for an answer that never came (half of the runs) — so the station's turn in that
    /// hub process stayed taken and every later sync of that station through it timed out.
    @Test func aQueryInFlightWhenTheServerDiesEndsInsteadOfHanging() async throws {
        // Given a hub store on a cluster of this test's own, with a query running on the server
        let hub = try await RestartHub("inflight")
        defer { hub.stop() }
        let store = hub.store
        let running = Ending { _ = try await store.rawRows("SELECT pg_sleep(600)::text") }
        defer { running.task.cancel() }
        while try await store.rawRows("SELECT count(*)::text FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)::text'").first?.first != "1" {
            try await Task.yield()
        }

        // When the server stops abruptly (as a crash leaves it) and starts again
        try await hub.restart()

        // Then the request in flight ends (unavailable), rather than waiting for an answer that
        // can never come
        let outcome = await running.wait()
        #expect(outcome == SyncErrorCode.unavailable.rawValue, "the query in flight \(outcome ?? "never ended")")
    }

    /// Found by the PostgreSQL soak in CI: a statement written to a connection the server had
    /// already closed — here, the publish of a push held open across a restart — is dropped by
    /// the closed channel, and postgres-nio 1.33 never answers it. The store watches each leased
    /// connection's close and ends the transaction `unavailable` instead.
    @Test func aStatementSentAfterTheServerClosedTheConnectionEndsInsteadOfHanging() async throws {
        // Given a hub store on a cluster of this test's own, and a push held right before it
        // numbers its changes
        let hub = try await RestartHub("afterclose")
        defer { hub.stop() }
        let changes = try hub.changes(members: 1)
        let (held, hold) = AsyncStream.makeStream(of: Void.self)
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        hub.store.hooks.beforePublish = {
            hold.yield()
            var waiting = released.makeAsyncIterator()
            _ = await waiting.next()
        }
        let pushing = Ending { _ = try await hub.push(changes) }
        defer { pushing.task.cancel() }
        var heldIterator = held.makeAsyncIterator()
        _ = await heldIterator.next()

        // When the server stops abruptly and starts again while the push is held, and the push
        // then goes on to its next statement on the connection the server closed
        try await hub.restart()
        try await Task.sleep(for: .milliseconds(300))
        release.yield()

        // Then the push ends unavailable (nothing kept), rather than waiting forever
        let outcome = await pushing.wait()
        #expect(outcome == SyncErrorCode.unavailable.rawValue, "the push \(outcome ?? "never ended")")
        // And once the server is back the same push is taken whole, once
        hub.store.hooks.beforePublish = nil
        var answer: PushResponse?
        for _ in 0..<20 where answer == nil { answer = try? await hub.push(changes) }
        let taken = try #require(answer, "the hub never came back")
        #expect(taken.applied == changes.count && taken.duplicates == 0, "\(taken)")
    }
}
