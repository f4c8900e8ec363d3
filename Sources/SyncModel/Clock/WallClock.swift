import Foundation

/// A source of wall-clock time in milliseconds since the Unix epoch.
///
/// Production code uses ``system``; tests pass a closure over a value they control.
public struct WallClock: Sendable {
    private let read: @Sendable () -> UInt64

    /// Creates a wall clock that reads its time from `read`.
    public init(_ read: @escaping @Sendable () -> UInt64) {
        self.read = read
    }

    /// The current time in milliseconds since the Unix epoch.
    public func nowMillis() -> UInt64 { read() }

    /// The machine's real-time clock.
    public static let system = WallClock {
        UInt64(max(0, (Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// A clock that always reads `millis`.
    public static func fixed(_ millis: UInt64) -> WallClock {
        WallClock { millis }
    }
}
