public import Logging
public import ServiceLifecycle
public import SyncModel

/// Periodic sync as a `Service`: one round every ``interval``, never two at once, backing
/// off while the hub cannot be reached (at least the `Retry-After` of a 429), and stopping cleanly on graceful shutdown (SIGTERM,
/// SIGINT) between rounds or while waiting.
public struct SyncService: Service {
    /// The engine that runs each round.
    public let engine: SyncEngine
    /// Seconds between the end of one round and the start of the next.
    public let interval: Double
    /// Seconds to wait after the first failed round; doubles per failure up to ``interval`` × 4.
    public let firstBackoff: Double
    private let logger: Logger
    private let onRound: @Sendable (Result<SyncSummary, SyncError>) -> Void
    private let pause: @Sendable (Double) async throws -> Void

    /// Creates the service; `onRound` hears about every round (for printing).
    ///
    /// - Parameter pause: waits the given seconds between rounds (a test passes its own
    ///   clock); it throws when the wait is cut short by cancellation.
    public init(
        engine: SyncEngine, interval: Double, firstBackoff: Double = 5, logger: Logger,
        onRound: @escaping @Sendable (Result<SyncSummary, SyncError>) -> Void = { _ in },
        pause: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64($0 * 1_000_000_000)) }
    ) {
        self.engine = engine
        self.interval = max(1, interval)
        self.firstBackoff = firstBackoff
        self.logger = logger
        self.onRound = onRound
        self.pause = pause
    }

    /// Runs rounds until graceful shutdown or cancellation. A refusal that waiting cannot
    /// cure (a revoked token, another protocol) ends the service with that error.
    public func run() async throws {
        var failures = 0
        var lastError: SyncError?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let summary = try await engine.sync()
                failures = 0
                onRound(.success(summary))
            } catch {
                onRound(.failure(error))
                lastError = error
                guard error.isRetryable || error.code == .clockSkew else { throw error }
                failures += 1
                logger.warning("sync.watch.backoff", metadata: ["sync.failures": "\(failures)", "sync.error": "\(error.code)"])
            }
            var wait = failures == 0 ? interval : min(interval * 4, firstBackoff * Double(1 << min(failures - 1, 16)))
            if let retryAfter = lastError?.retryAfter { wait = max(wait, retryAfter) }
            lastError = nil
            let seconds = wait
            do {
                try await cancelWhenGracefulShutdown { [pause] in try await pause(seconds) }
            } catch {
                return  // shutdown or cancellation while waiting: stop cleanly
            }
        }
    }
}
