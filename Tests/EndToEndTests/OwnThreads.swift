import Foundation
import Testing

/// Runs each test of a suite on threads of its own rather than on Swift's concurrency pool.
///
/// The process-level tests mostly wait: for `tributary` and `tributary-hub` processes, for
/// nginx, for Chromium, through synchronous `Process` calls. Run on the pool (which has one
/// thread per core — two in CI), two such tests at once would hold every pool thread for
/// their whole run, and the in-process hubs of the other suites would stop answering until
/// their clients time out. Under this trait a test's jobs run on a fresh thread each (a
/// synchronous test is one job), with the test's task-locals — so `#expect` still knows its
/// test.
struct OwnThreadsTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else { return try await function() }
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OwnThreadsTrait {
    /// Runs the tests on threads of their own (see ``OwnThreadsTrait``).
    static var ownThreads: Self { Self() }
}

/// A task executor that runs every job on a new thread: a job that blocks holds only its own.
final class ThreadPerJobExecutor: TaskExecutor {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { job.runSynchronously(on: executor) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
