/// How many push, pull and snapshot requests the hub works on at once (SPEC §10): the
/// others wait their turn in arrival order, their bodies still unread in the socket.
///
/// At 7 a.m. every township pushes and pulls at once. Without a bound, each waiting push
/// sits decoded in memory (5,000 changes ≈ 2 MB) until the one writer takes it, and each pull
/// page is built and encoded at the same moment as every other: the hub's memory grew with
/// the number of stations (236 MB for 200). Admitted requests keep the writer and the readers
/// as busy as before — a group commit takes at most four 5k pushes — so waiting here costs no
/// throughput, only moves the queue from memory to the sockets.
actor SyncAdmission {
    /// The most requests worked on at once.
    let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    /// - Parameter limit: the most requests worked on at once (at least one is).
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `work` once admitted; every admitted request is released when its work ends,
    /// thrown or not.
    nonisolated func admitted<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        await enter()
        do {
            let result = try await work()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }

    /// The requests admitted now and those waiting (for tests and metrics).
    var load: (running: Int, waiting: Int) { (running, waiting.count - head) }

    private func enter() async {
        if running < limit && head == waiting.count {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        guard head < waiting.count else {
            running -= 1
            return
        }
        // The slot passes to the longest-waiting request: `running` stays the same.
        let next = waiting[head]
        head += 1
        if head > 64 && head * 2 > waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        next.resume()
    }
}
