import Synchronization

/// Token buckets by key: each key may spend ``burst`` requests at once and earns
/// ``perSecond`` back every second. The table keeps at most ``capacity`` keys: when it is full,
/// buckets that have refilled (idle keys) are dropped first, then the longest idle ones.
final class RateLimiter: Sendable {
    /// Requests earned back per second; 0 disables the limiter.
    let perSecond: Double
    /// Requests a key may make at once.
    let burst: Double
    /// The most keys kept.
    let capacity: Int

    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    /// Creates a limiter; `perSecond` 0 (or less) lets everything through.
    init(perSecond: Double, burst: Int, capacity: Int = 50_000) {
        self.perSecond = perSecond
        self.burst = Double(max(1, burst))
        self.capacity = max(1, capacity)
    }

    /// Whether the limiter limits anything.
    var isEnabled: Bool { perSecond > 0 }

    /// The keys currently kept (for tests).
    var count: Int { buckets.withLock { $0.count } }

    /// Spends one request of `key`; returns `nil` when allowed, else the seconds until one is
    /// earned back. With `create` false, a key without a bucket is allowed and not added.
    func take(_ key: String, now: UInt64 = RateLimiter.nanos(), create: Bool = true) -> Double? {
        guard isEnabled else { return nil }
        return buckets.withLock { buckets -> Double? in
            var bucket: Bucket
            if let found = buckets[key] {
                bucket = refilled(found, now: now)
            } else {
                guard create else { return nil }
                if buckets.count >= capacity { evict(&buckets, now: now) }
                bucket = Bucket(tokens: burst, updated: now)
            }
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return (1 - bucket.tokens) / perSecond
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return nil
        }
    }

    /// The seconds until `key` may spend a request, or `nil` when it may now (nothing spent).
    func wait(_ key: String, now: UInt64 = RateLimiter.nanos()) -> Double? {
        guard isEnabled else { return nil }
        return buckets.withLock { buckets -> Double? in
            guard let found = buckets[key] else { return nil }
            let bucket = refilled(found, now: now)
            return bucket.tokens >= 1 ? nil : (1 - bucket.tokens) / perSecond
        }
    }

    private func refilled(_ bucket: Bucket, now: UInt64) -> Bucket {
        let elapsed = Double(now &- bucket.updated) / 1_000_000_000
        return Bucket(tokens: min(burst, bucket.tokens + elapsed * perSecond), updated: now)
    }

    /// Drops refilled buckets; if none is, the older half by last use.
    private func evict(_ buckets: inout [String: Bucket], now: UInt64) {
        buckets = buckets.filter { refilled($0.value, now: now).tokens < burst }
        guard buckets.count >= capacity else { return }
        let cut = buckets.values.map(\.updated).sorted()[buckets.count / 2]
        buckets = buckets.filter { $0.value.updated > cut }
    }

    private static let origin = ContinuousClock.now

    /// A monotonic clock in nanoseconds.
    static func nanos() -> UInt64 {
        let elapsed = origin.duration(to: .now).components
        return UInt64(max(0, elapsed.seconds)) * 1_000_000_000 + UInt64(max(0, elapsed.attoseconds / 1_000_000_000))
    }
}
