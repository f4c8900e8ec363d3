/// The hybrid logical clock of one replica (Kulkarni et al., 2014).
///
/// `now(wallMillis:)` stamps a local event and `receive(_:wallMillis:)` folds in a timestamp
/// seen from another replica. Neither ever returns a value at or below one returned before,
/// whatever the wall clock does; a store persists ``last`` so that this holds across restarts.
public struct HybridLogicalClock: Sendable, Hashable {
    /// The greatest timestamp this clock has produced or received.
    public private(set) var last: HLC

    /// Creates a clock that will only move past `last`.
    public init(last: HLC = .zero) {
        self.last = last
    }

    /// Stamps a local event.
    public mutating func now(wallMillis: UInt64) -> HLC {
        let wall = min(wallMillis, HybridLogicalClock.maxMillis)
        if wall > last.millis {
            last = HLC(millis: wall, counter: 0)
        } else {
            last = Self.successor(of: last)
        }
        return last
    }

    /// Folds in a timestamp received from another replica and returns the new clock value.
    @discardableResult
    public mutating func receive(_ remote: HLC, wallMillis: UInt64) -> HLC {
        let wall = min(wallMillis, HybridLogicalClock.maxMillis)
        let millis = max(wall, last.millis, remote.millis)
        if millis == last.millis && millis == remote.millis {
            last = Self.successor(of: max(last, remote))
        } else if millis == last.millis {
            last = Self.successor(of: last)
        } else if millis == remote.millis {
            last = Self.successor(of: remote)
        } else {
            last = HLC(millis: millis, counter: 0)
        }
        return last
    }

    /// The largest representable millisecond value (48 bits).
    static let maxMillis: UInt64 = (1 << 48) - 1

    /// The next timestamp: counter plus one, spilling into the next millisecond.
    private static func successor(of value: HLC) -> HLC {
        if value.counter == UInt16.max {
            return HLC(millis: value.millis + 1, counter: 0)
        }
        return HLC(rawValue: value.rawValue + 1)
    }
}
