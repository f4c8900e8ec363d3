import Foundation
import GRDB
import Synchronization
import Testing

@testable import SyncServer

/// Group commit observed directly: which transaction each push's work ran in (GRDB's
/// `transactionDate`, from a clock that gives every transaction a date of its own).
@Suite("Group commit shares transactions")
struct GroupCommitSharingTests {
    /// A database whose transactions are numbered 1, 2, 3… (as dates after the epoch).
    static func numberedDatabase() throws -> DatabaseQueue {
        let counter = Mutex(0)
        var configuration = Configuration()
        configuration.transactionClock = .custom { _ in
            Date(timeIntervalSince1970: TimeInterval(counter.withLock { $0 += 1; return $0 }))
        }
        let queue = try DatabaseQueue(configuration: configuration)
        try queue.write { db in try db.execute(sql: "CREATE TABLE pushes (name TEXT PRIMARY KEY)") }
        return queue
    }

    @Test("pushes that arrive while a transaction runs share the next one; a failing push is rolled back alone")
    func sharing() async throws {
        let database = try Self.numberedDatabase()
        let group = GroupCommit<Int>(writer: database, maxGroupSize: 1_000, mapError: { $0 })
        let release = DispatchSemaphore(value: 0)
        let firstStarted = Mutex(false)

        // Given a first push whose work holds its transaction open
        async let first = group.run(size: 1) { db in
            firstStarted.withLock { $0 = true }
            release.wait()
            try db.execute(sql: "INSERT INTO pushes VALUES ('first')")
            return Int(try db.transactionDate.timeIntervalSince1970)
        }
        while !firstStarted.withLock({ $0 }) { await Task.yield() }

        // When three more pushes arrive meanwhile, one of them failing
        func push(_ name: String, fails: Bool = false) -> Task<Int, any Error> {
            Task {
                try await group.run(size: 1) { db in
                    try db.execute(sql: "INSERT INTO pushes VALUES (?)", arguments: [name])
                    if fails { throw CancellationError() }
                    return Int(try db.transactionDate.timeIntervalSince1970)
                }
            }
        }
        let second = push("second"), third = push("third"), failing = push("failing", fails: true)
        while await group.waitingCount < 3 { await Task.yield() }
        release.signal()

        // Then the first committed alone, the other two shared the next transaction
        let firstTransaction = try await first
        let (secondTransaction, thirdTransaction) = (try await second.value, try await third.value)
        #expect(secondTransaction == thirdTransaction)
        #expect(secondTransaction != firstTransaction)
        // And the failing push got its error, with nothing of it kept
        await #expect(throws: CancellationError.self) { try await failing.value }
        let kept = try await database.read { db in try String.fetchAll(db, sql: "SELECT name FROM pushes ORDER BY name") }
        #expect(kept == ["first", "second", "third"])
    }

    @Test("a group takes at most maxGroupSize changes; a larger push goes alone")
    func bounded() async throws {
        let database = try Self.numberedDatabase()
        let group = GroupCommit<Int>(writer: database, maxGroupSize: 10, mapError: { $0 })
        let release = DispatchSemaphore(value: 0)
        let firstStarted = Mutex(false)
        async let first = group.run(size: 1) { db in
            firstStarted.withLock { $0 = true }
            release.wait()
            return Int(try db.transactionDate.timeIntervalSince1970)
        }
        while !firstStarted.withLock({ $0 }) { await Task.yield() }

        // Given pushes of 6, 4, 5 and 30 changes queued behind a running transaction
        let sizes = [6, 4, 5, 30]
        var tasks: [Task<Int, any Error>] = []
        for size in sizes {
            tasks.append(Task { try await group.run(size: size) { db in Int(try db.transactionDate.timeIntervalSince1970) } })
            while await group.waitingCount < tasks.count { await Task.yield() }
        }
        release.signal()
        _ = try await first

        // Then 6 + 4 share one transaction, 5 goes in the next, 30 alone after it
        var transactions: [Int] = []
        for task in tasks { transactions.append(try await task.value) }
        #expect(transactions[0] == transactions[1])
        #expect(Set([transactions[1], transactions[2], transactions[3]]).count == 3)
    }
}
