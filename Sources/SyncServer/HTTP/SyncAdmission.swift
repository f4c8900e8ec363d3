import HTTPTypes
import SyncModel
import Synchronization

/// Turns to work, first come first served, at most ``limit`` at once per key (SPEC §10
/// "Admission"). The hub keeps two: one key for the push, pull and snapshot requests worked on
/// at once (8), and one key per station token, so that a station holds at most one of those
/// slots at a time (1).
///
/// At 7 a.m. every township pushes and pulls at once. Without a bound, each waiting push
/// sits decoded in memory (5,000 changes ≈ 2 MB) until the one writer takes it, and each pull
/// page is built and encoded at the same moment as every other: the hub's memory grew with
/// the number of stations (236 MB for 200). Admitted requests keep the writer and the readers
/// as busy as before — a group commit takes at most four 5k pushes — so waiting here costs no
/// throughput, only moves the queue from memory to the sockets.
///
/// A wait ends early, with an error and without a turn, when its task is cancelled or when the
/// client it serves goes away (``ClientConnection``): a disconnected client is never admitted
/// later, and its place passes on.
final class SyncAdmission: Sendable {
    /// The most turns held at once per key.
    let limit: Int
    /// The most requests waiting per key; past it ``admitted(_:connection:_:)`` throws ``Full``
    /// at once (`nil`: no bound).
    let maxWaiting: Int?
    private let state = Mutex(State())

    /// A request that found its key's line full (``maxWaiting`` waiting already).
    struct Full: Error {}

    private struct Line {
        var running = 0
        var waiting: [(id: UInt64, turn: CheckedContinuation<Void, any Error>)] = []
    }

    private struct State {
        var lines: [String: Line] = [:]
        var nextID: UInt64 = 0
    }

    /// - Parameters:
    ///   - limit: the most turns held at once per key (at least one).
    ///   - maxWaiting: the most requests waiting per key (`nil`: no bound).
    init(limit: Int, maxWaiting: Int? = nil) {
        self.limit = max(1, limit)
        self.maxWaiting = maxWaiting.map { max(0, $0) }
    }

    /// Runs `work` once `key` has a free turn; the turn is given back when `work` ends, thrown
    /// or not. Throws ``SyncAdmission/gone`` without running `work` when the task is cancelled
    /// or `connection` closes while waiting, and ``Full`` when ``maxWaiting`` requests wait already.
    func admitted<T: Sendable>(
        _ key: String = "", connection: ClientConnection? = nil, _ work: () async throws -> T
    ) async throws -> T {
        try await enter(key, connection: connection)
        do {
            let result = try await work()
            leave(key)
            return result
        } catch {
            leave(key)
            throw error
        }
    }

    /// The turns held now and the requests waiting for one, for `key` (tests and metrics).
    func load(_ key: String = "") -> (running: Int, waiting: Int) {
        state.withLock { state in state.lines[key].map { ($0.running, $0.waiting.count) } ?? (0, 0) }
    }

    /// The error of a wait that ended because its client went away or its task was cancelled.
    static var gone: HubError {
        HubError(.serviceUnavailable, .unavailable, "the request was abandoned while it waited its turn")
    }

    private func enter(_ key: String, connection: ClientConnection?) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        enum Outcome { case admitted, queued, cancelled, full }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (turn: CheckedContinuation<Void, any Error>) in
                // Cancellation sets the task's flag before it runs `onCancel`, which takes the
                // same lock: a wait is either refused here or found in the line by `abandon`.
                let outcome = state.withLock { state -> Outcome in
                    if Task.isCancelled { return .cancelled }
                    var line = state.lines[key, default: Line()]
                    defer { state.lines[key] = line }
                    if line.running < limit && line.waiting.isEmpty {
                        line.running += 1
                        return .admitted
                    }
                    if let maxWaiting, line.waiting.count >= maxWaiting { return .full }
                    line.waiting.append((id, turn))
                    return .queued
                }
                switch outcome {
                case .admitted: turn.resume()
                case .cancelled: turn.resume(throwing: Self.gone)
                case .full: turn.resume(throwing: Full())
                case .queued: connection?.whenClosed { [self] in abandon(id, key: key) }
                }
            }
        } onCancel: {
            abandon(id, key: key)
        }
    }

    /// Takes waiter `id` out of the line, if it still waits, and ends its wait with ``gone``.
    private func abandon(_ id: UInt64, key: String) {
        let turn = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard var line = state.lines[key], let index = line.waiting.firstIndex(where: { $0.id == id }) else { return nil }
            let turn = line.waiting.remove(at: index).turn
            state.lines[key] = line.running == 0 && line.waiting.isEmpty ? nil : line
            return turn
        }
        turn?.resume(throwing: Self.gone)
    }

    private func leave(_ key: String) {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard var line = state.lines[key] else { return nil }
            var next: CheckedContinuation<Void, any Error>?
            if line.waiting.isEmpty {
                line.running -= 1
            } else {
                // The turn passes to the longest-waiting request: `running` stays the same.
                next = line.waiting.removeFirst().turn
            }
            state.lines[key] = line.running == 0 && line.waiting.isEmpty ? nil : line
            return next
        }
        next?.resume()
    }
}
