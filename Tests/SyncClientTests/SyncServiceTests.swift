import Logging
import ServiceLifecycle
import Synchronization
import SyncClient
import SyncModel
import SyncStore
import Testing
import TributaryTestSupport

/// `tributary sync --watch`: the periodic `SyncService` backs off while the hub cannot be
/// reached, honours `Retry-After`, stops on a refusal waiting cannot cure, and stops cleanly on
/// graceful shutdown. Its waits go through an injected pause, so nothing here sleeps.
@Suite("Sync service")
struct SyncServiceTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    /// The station's wall clock and the hub's, equal.
    static let now: UInt64 = 1_767_225_600_000
    static let hubClock = HLC(millis: now, counter: 0)

    /// A hub that answers a bootstrap and pulls as `script` says, call by call.
    static func transport(_ script: @escaping @Sendable (Int) throws(SyncError) -> Void) -> InProcessTransport {
        let calls = Atomic<Int>(0)
        return InProcessTransport(
            push: { _ throws(SyncError) in PushResponse(acked: 0, applied: 0, duplicates: 0, refused: [], hubClock: Self.hubClock) },
            pull: { cursor, _ throws(SyncError) in
                try script(calls.add(1, ordering: .relaxed).newValue)
                return PullResponse(changes: [], cursor: cursor, more: false, hubClock: Self.hubClock)
            },
            snapshot: { _, _ throws(SyncError) in
                try script(calls.add(1, ordering: .relaxed).newValue)
                return SnapshotPage(records: [], next: nil, cursor: 0, hubClock: Self.hubClock)
            },
            whoami: { () throws(SyncError) in throw SyncError(.notFound, "not used") },
            digest: { () throws(SyncError) in throw SyncError(.notFound, "not used") })
    }

    @Test("it backs off while the hub is unreachable, waits at least Retry-After, and stops on a revoked token")
    func backoffAndRefusal() async throws {
        // Given a hub unreachable for the first round, rate-limiting the second (Retry-After
        // 30 s), answering the third, and refusing the token on the fourth
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: .fixed(Self.now))
        let transport = Self.transport { call throws(SyncError) in
            switch call {
            case 1: throw SyncError(.unreachable, "no route")
            case 2: throw SyncError(.rateLimited, "slow down", retryAfter: 30)
            case 3, 4: return  // the bootstrap's page, then its pull
            default: throw SyncError(.tokenRevoked, "revoked")
            }
        }
        let pauses = Mutex<[Double]>([])
        let rounds = Mutex<[SyncErrorCode?]>([])
        let service = SyncService(
            engine: SyncEngine(store: store, transport: transport, logger: Self.logger), interval: 60, firstBackoff: 5, logger: Self.logger,
            onRound: { result in rounds.withLock { $0.append(result.failure?.code) } },
            pause: { seconds in pauses.withLock { $0.append(seconds) } })

        // When it runs
        let error = await #expect(throws: SyncError.self) { try await service.run() }

        // Then: 5 s after the first failure, 30 s (not the 10 s backoff) after the 429, the
        // interval after the good round, and the revoked token ends the service
        #expect(error?.code == .tokenRevoked)
        #expect(pauses.withLock { $0 } == [5, 30, 60])
        #expect(rounds.withLock { $0 } == [.unreachable, .rateLimited, nil, .tokenRevoked])
    }

    @Test("graceful shutdown while it waits between rounds ends it cleanly")
    func gracefulShutdown() async throws {
        // Given a service whose hub always answers, in a service group
        let store = try ReplicaStore.inMemory(schema: TestSchemas.mixed, wallClock: .fixed(Self.now))
        let rounds = Atomic<Int>(0)
        let trigger = Mutex<ServiceGroup?>(nil)
        let service = SyncService(
            engine: SyncEngine(store: store, transport: Self.transport { _ throws(SyncError) in }, logger: Self.logger), interval: 60,
            logger: Self.logger, onRound: { _ in rounds.add(1, ordering: .relaxed) },
            pause: { _ in
                // When the host shuts down during the first wait
                await trigger.withLock { $0 }?.triggerGracefulShutdown()
                try await Task.sleep(nanoseconds: 60_000_000_000)
            })
        let group = ServiceGroup(services: [service], logger: Self.logger)
        trigger.withLock { $0 = group }
        // Then the group's run returns without an error, after one round
        try await group.run()
        #expect(rounds.load(ordering: .relaxed) == 1)
    }
}

extension Result {
    /// The failure, if this is one.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
