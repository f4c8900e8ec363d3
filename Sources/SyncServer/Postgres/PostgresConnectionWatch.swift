import Foundation
import PostgresNIO

/// Ends work on a connection the moment the connection closes.
///
/// postgres-nio 1.33 hands a statement to the connection's channel without a write promise;
/// once the server has closed the connection and the channel has torn its pipeline down, the
/// statement is dropped unseen and its answer never comes. That happens whenever a statement
/// follows the server's close — the next statement of a transaction after a restart, or the
/// `BEGIN` on a pooled connection whose close the pool has not yet noticed — and it left hub
/// requests waiting forever, holding their station's sync turn (found by the PostgreSQL soak;
/// `PostgresRestartTests`). Work run through ``run(on:_:)`` ends with a lost-connection error
/// as soon as the connection's close future completes, whatever statement it waits on.
///
/// Each connection's close future gets one callback, when its first piece of work is watched,
/// however many transactions the connection serves afterwards.
final class PostgresConnectionWatch: @unchecked Sendable {
    static let shared = PostgresConnectionWatch()

    private struct Watched {
        /// Kept so that its identity is not reused while it is watched.
        let connection: PostgresConnection
        var onClose: [UInt64: @Sendable () -> Void] = [:]
    }

    private let lock = NSLock()
    private var watched: [ObjectIdentifier: Watched] = [:]
    private var nextToken: UInt64 = 0

    /// Runs `work` with `connection`, and ends `unavailable` (``PostgresErrors/connectionClosed``)
    /// if the connection closes first: the work is then left to finish on its own — nothing it
    /// still sends can reach the server, which has rolled its transaction back — and, if it waits
    /// on a dropped statement, it waits alone. Cancellation is passed on to the work.
    func run<T: Sendable>(on connection: PostgresConnection, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.wait(continuation)
                let token = watch(connection) {
                    outcome.finish(.failure(PostgresErrors.connectionClosed))
                }
                outcome.start(
                    Task {
                        let result = await Result { try await work() }
                        self.unwatch(connection, token)
                        outcome.finish(result)
                    })
            }
        } onCancel: {
            outcome.cancelWork()
        }
    }

    /// Calls `onClose` once when `connection` closes (at once if it has), unless ``unwatch(_:_:)`` comes first.
    private func watch(_ connection: PostgresConnection, onClose: @escaping @Sendable () -> Void) -> UInt64 {
        let key = ObjectIdentifier(connection)
        let (token, isFirst) = lock.withLock { () -> (UInt64, Bool) in
            nextToken &+= 1
            let isFirst = watched[key] == nil
            watched[key, default: Watched(connection: connection)].onClose[nextToken] = onClose
            return (nextToken, isFirst)
        }
        if isFirst {
            connection.closeFuture.whenComplete { _ in
                let closed = self.lock.withLock { self.watched.removeValue(forKey: key) }
                closed?.onClose.values.forEach { $0() }
            }
        }
        return token
    }

    private func unwatch(_ connection: PostgresConnection, _ token: UInt64) {
        lock.withLock { _ = watched[ObjectIdentifier(connection)]?.onClose.removeValue(forKey: token) }
    }
}

/// The first of a piece of work's result and its connection's close, delivered once.
private final class Outcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var task: Task<Void, Never>?
    private var cancelled = false

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    func start(_ task: Task<Void, Never>) {
        let cancel = lock.withLock { () -> Bool in
            self.task = task
            return cancelled
        }
        if cancel { task.cancel() }
    }

    func finish(_ result: Result<T, any Error>) {
        let waiting = lock.withLock { () -> CheckedContinuation<T, any Error>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
    }

    func cancelWork() {
        let task = lock.withLock { () -> Task<Void, Never>? in
            cancelled = true
            return self.task
        }
        task?.cancel()
    }
}

extension Result where Failure == any Error {
    /// The result of async `body`.
    fileprivate init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
