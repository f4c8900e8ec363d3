/// How a transport retries a request that failed for a reason that may pass: exponential
/// backoff with full jitter, honouring the hub's `Retry-After`.
public struct RetryPolicy: Sendable, Hashable {
    /// How many times a request is tried in all.
    public var attempts: Int
    /// The delay before the first retry, in seconds.
    public var initialDelay: Double
    /// The longest delay between two tries, in seconds.
    public var maxDelay: Double

    /// Creates a policy.
    public init(attempts: Int = 4, initialDelay: Double = 0.5, maxDelay: Double = 30) {
        self.attempts = max(1, attempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// Never retry.
    public static let none = RetryPolicy(attempts: 1)

    /// The delay before retry number `retry` (1 for the first), or the hub's `Retry-After`
    /// when it gave one (capped at ``maxDelay``).
    public func delay(beforeRetry retry: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return min(max(0, retryAfter), maxDelay) }
        let ceiling = min(maxDelay, initialDelay * Double(1 << min(retry - 1, 20)))
        return Double.random(in: ceiling / 2...ceiling)
    }
}
