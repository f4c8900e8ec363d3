import Foundation
import Hummingbird
import HummingbirdTesting
import NIOEmbedded
import SyncModel
import SyncStore
import Testing

@testable import SyncServer

/// The bound on pushes, pulls and snapshot pages worked on at once (SPEC §10).
@Suite struct SyncAdmissionTests {
    /// Counts the works running at once and the most seen.
    actor Occupancy {
        private(set) var now = 0
        private(set) var most = 0
        private(set) var order: [Int] = []
        func enter(_ index: Int) {
            now += 1
            most = max(most, now)
            order.append(index)
        }
        func leave() { now -= 1 }

        /// Works holding their slot until the test lets the oldest go.
        private var holding: [CheckedContinuation<Void, Never>] = []
        var held: Int { holding.count }
        func hold() async { await withCheckedContinuation { holding.append($0) } }
        func releaseOldest() { holding.removeFirst().resume() }
    }

    @Test func neverMoreThanTheLimitAtOnceAndEveryoneGetsIn() async throws {
        // Given a gate of 3 and 40 requests arriving together
        let gate = SyncAdmission(limit: 3)
        let occupancy = Occupancy()

        // When each holds its slot until the test lets it go, one at a time, each time the
        // gate is as full as it can be (no sleeps: the test waits for the state it checks)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await gate.admitted {
                        await occupancy.enter(index)
                        await occupancy.hold()
                        await occupancy.leave()
                    }
                }
            }
            for released in 0..<40 {
                // (the work let go last has left the gate, and the gate is as full as it can be)
                let full = min(3, 40 - released)
                var spins = 0
                while await occupancy.held < full || gate.load().running != full {
                    spins += 1
                    if spins > 1_000_000 { Issue.record("the gate never settled at \(full) running: \(gate.load())"); break }
                    await Task.yield()
                }
                #expect(await occupancy.now == full)
                await occupancy.releaseOldest()
            }
            try await group.waitForAll()
        }

        // Then at most 3 ran at once, 3 did at some point, and all 40 ran
        #expect(await occupancy.most == 3)
        #expect(await occupancy.order.count == 40)
        #expect(gate.load() == (running: 0, waiting: 0))
    }

    @Test func waitingRequestsGetInInTheOrderTheyCame() async throws {
        // Given a gate of 1 held by a first request
        let gate = SyncAdmission(limit: 1)
        let occupancy = Occupancy()
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await gate.admitted {
                for await _ in release { break }
            }
        }
        while gate.load().running < 1 { await Task.yield() }

        // When 10 more arrive one after another, each queued before the next comes
        var waiters: [Task<Void, any Error>] = []
        for index in 1...10 {
            waiters.append(Task { try await gate.admitted { await occupancy.enter(index) } })
            while gate.load().waiting < index { await Task.yield() }
        }
        releaser.yield()
        try await holder.value
        for waiter in waiters { try await waiter.value }

        // Then they were let in first come, first served
        #expect(await occupancy.order == Array(1...10))
    }

    @Test func aFailedRequestGivesItsSlotBack() async throws {
        // Given a gate of 1
        let gate = SyncAdmission(limit: 1)
        struct Boom: Error {}

        // When an admitted request throws
        await #expect(throws: Boom.self) { try await gate.admitted { throw Boom() } }

        // Then the next one is admitted at once
        #expect(try await gate.admitted { 42 } == 42)
        #expect(gate.load() == (running: 0, waiting: 0))
    }

    @Test func aWaitWhoseTaskIsCancelledOrWhoseClientLeftNeverGetsIn() async throws {
        // Given a gate of 1 held by a first request, a waiter whose task will be cancelled and
        // a waiter whose connection will close, then a third waiter
        let gate = SyncAdmission(limit: 1)
        let occupancy = Occupancy()
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let holder = Task { try await gate.admitted { for await _ in release { break } } }
        while gate.load().running < 1 { await Task.yield() }
        let cancelled = Task { try await gate.admitted { await occupancy.enter(1) } }
        while gate.load().waiting < 1 { await Task.yield() }
        let loop = EmbeddedEventLoop()
        let closed = loop.makePromise(of: Void.self)
        let left = Task { try await gate.admitted(connection: ClientConnection(closed: closed.futureResult)) { await occupancy.enter(2) } }
        while gate.load().waiting < 2 { await Task.yield() }
        let third = Task { try await gate.admitted { await occupancy.enter(3) } }
        while gate.load().waiting < 3 { await Task.yield() }

        // When the first is cancelled and the second's client goes away while they wait
        cancelled.cancel()
        closed.succeed()
        await #expect(throws: HubError.self) { try await cancelled.value }
        await #expect(throws: HubError.self) { try await left.value }
        #expect(gate.load() == (running: 1, waiting: 1))
        releaser.yield()
        try await holder.value
        try await third.value

        // Then neither ran: the slot went to the third
        #expect(await occupancy.order == [3])
        #expect(gate.load() == (running: 0, waiting: 0))
    }

    @Test func eachKeyHasItsOwnTurns() async throws {
        // Given turns of one per key, held by station "a"
        let turns = SyncAdmission(limit: 1)
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let holder = Task { try await turns.admitted("a") { for await _ in release { break } } }
        while turns.load("a").running < 1 { await Task.yield() }

        // When "a" asks again and "b" asks
        let again = Task { try await turns.admitted("a") { 1 } }
        while turns.load("a").waiting < 1 { await Task.yield() }
        let other = try await turns.admitted("b") { 2 }

        // Then "b" got in at once while "a"'s second request waited for its first
        #expect(other == 2)
        #expect(turns.load("a") == (running: 1, waiting: 1))
        releaser.yield()
        try await holder.value
        #expect(try await again.value == 1)
        #expect(turns.load("a") == (running: 0, waiting: 0))
    }

    @Test func aKeyWhoseLineIsFullRefusesTheNextAtOnce() async throws {
        // Given turns of one per key with at most two waiting, "a" holding its turn and two waiting
        let turns = SyncAdmission(limit: 1, maxWaiting: 2)
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let holder = Task { try await turns.admitted("a") { for await _ in release { break } } }
        while turns.load("a").running < 1 { await Task.yield() }
        let waiters = (1...2).map { index in Task { try await turns.admitted("a") { index } } }
        while turns.load("a").waiting < 2 { await Task.yield() }

        // When "a" asks a fourth time, and "b" asks
        // Then "a" is refused at once, "b" is not
        await #expect(throws: SyncAdmission.Full.self) { try await turns.admitted("a") { 0 } }
        #expect(try await turns.admitted("b") { 7 } == 7)
        releaser.yield()
        try await holder.value
        for waiter in waiters { _ = try await waiter.value }
        #expect(turns.load("a") == (running: 0, waiting: 0))
    }

    @Test func aHubThatWorksOnOneSyncAtATimeStillAnswersEveryStation() async throws {
        // Given a hub admitting a single push, pull or snapshot at a time, and four stations
        // with members to push
        let hub = try await HubFixture()
        var configuration = hub.configuration
        configuration.maxConcurrentSyncs = 1
        let units = ["t1": "yc-t01", "t2": "yc-t02", "c01": "yc-t01-c01", "county": "yc"]
        let batches: [(station: String, changes: [Change])] = try units.sorted(by: { $0.key < $1.key }).map { name, unit in
            let replica = try hub.replica(name)
            for index in 1...30 { try replica.writeLocal(memberEdits("m-\(name)-\(index)", unit: unit)) }
            return (name, try replica.outbox())
        }

        // (through the router: the gate is the controller's, and a loaded machine must not
        // turn a queue that works into a client read timeout)
        try await hub.application(configuration: configuration).test(.router) { client in
            // When they all push and pull at once
            let answers = try await withThrowingTaskGroup(of: (String, PushResponse, Int).self) { group in
                for (name, changes) in batches {
                    group.addTask {
                        let pushed = try await client.push(hub, name, changes)
                        let pulled = try await client.pull(hub, name, cursor: 0)
                        return (name, pushed, pulled.changes.count)
                    }
                }
                return try await group.reduce(into: [String: (PushResponse, Int)]()) { $0[$1.0] = ($1.1, $1.2) }
            }

            // Then every push was acknowledged whole and every pull answered
            for (name, changes) in batches {
                let (pushed, pulled) = try #require(answers[name])
                #expect(pushed.acked == changes.last!.seq && pushed.applied == changes.count, "\(name)")
                #expect(pulled >= changes.count, "\(name) pulled \(pulled)")
            }
        }
    }
}
