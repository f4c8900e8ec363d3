import GRDB

/// Group commit for pushes: while one transaction runs, the pushes that arrive wait
/// together and go into the next transaction, each in a savepoint of its own (a push that
/// fails is rolled back alone and answered with its error; a full disk ends the whole
/// group, SPEC §16). Every push is answered only after its transaction has committed, so an
/// acknowledgement always means "on disk".
///
/// With `synchronous = FULL` a commit costs one fsync (~6 ms here); sharing it among the
/// stations that push at once keeps that cost off the ack latency, and every hot page (log
/// index, org-unit rows, the records a township touches) is written once per group, not
/// once per push.
actor GroupCommit<Answer: Sendable> {
    /// One push's work inside the group's transaction.
    typealias Work = @Sendable (Database) throws -> Answer

    private struct Waiting {
        var size: Int
        var work: Work
        var continuation: CheckedContinuation<Answer, any Error>
    }

    private let writer: any DatabaseWriter
    private let maxGroupSize: Int
    private let mapError: @Sendable (any Error) -> any Error
    private var waiting: [Waiting] = []
    private var draining = false

    /// - Parameters:
    ///   - maxGroupSize: the most changes one transaction takes (a single larger push still
    ///     goes alone); bounds the latency a push adds to the pushes grouped with it.
    ///   - mapError: how a database failure is reported (to the push whose savepoint failed,
    ///     or to every push of a group whose transaction failed); other errors pass as they are.
    init(writer: any DatabaseWriter, maxGroupSize: Int, mapError: @escaping @Sendable (any Error) -> any Error) {
        self.writer = writer
        self.maxGroupSize = maxGroupSize
        self.mapError = mapError
    }

    /// How many pushes wait for the next group (tests watch it fill).
    var waitingCount: Int { waiting.count }

    /// Runs `work` (of `size` changes) in the next group's transaction and returns its
    /// answer once that transaction has committed.
    func run(size: Int, _ work: @escaping Work) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(size: size, work: work, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            var total = 0
            let count = waiting.prefix { item in
                defer { total += item.size }
                return total == 0 || total + item.size <= maxGroupSize
            }.count
            let group = Array(waiting.prefix(count))
            waiting.removeFirst(count)
            let works = group.map(\.work)
            do {
                let outcomes = try await writer.write { db in
                    try works.map { work -> Result<Answer, any Error> in
                        do {
                            var answer: Answer?
                            try db.inSavepoint {
                                answer = try work(db)
                                return .commit
                            }
                            return .success(answer!)
                        } catch {
                            // SQLite ends the whole transaction, not only the savepoint, on
                            // SQLITE_FULL (and may on an I/O error): then nothing of the group
                            // can commit, and the cause (507 disk_full) is what every push of
                            // it is told — not the SQLITE_ABORT of the statements that follow.
                            guard db.isInsideTransaction else { throw error }
                            return .failure(mapError(error))
                        }
                    }
                }
                for (item, outcome) in zip(group, outcomes) { item.continuation.resume(with: outcome) }
            } catch {
                // The transaction did not commit (a full disk at COMMIT, a read-only file…):
                // no push of the group is acknowledged.
                let reported = mapError(error)
                for item in group { item.continuation.resume(throwing: reported) }
            }
        }
        draining = false
    }
}
