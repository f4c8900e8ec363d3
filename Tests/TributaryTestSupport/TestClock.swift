public import SyncModel
import Synchronization

/// A wall clock a test sets and advances by hand: a station whose clock jumps, a hub whose
/// evening passes in one step. Reads and writes are safe from any task.
public final class TestClock: Sendable {
    private let millis: Mutex<UInt64>

    /// Creates a clock reading `millis` (milliseconds since the Unix epoch).
    public init(_ millis: UInt64) {
        self.millis = Mutex(millis)
    }

    /// The time it reads now.
    public var now: UInt64 { millis.withLock { $0 } }

    /// Sets the time (forwards or backwards).
    public func set(_ value: UInt64) {
        millis.withLock { $0 = value }
    }

    /// Moves the time forwards by `delta` milliseconds.
    public func advance(by delta: UInt64) {
        millis.withLock { $0 += delta }
    }

    /// The ``WallClock`` that reads this clock, to hand to a replica or a hub.
    public var wallClock: WallClock {
        WallClock { [self] in self.now }
    }
}
