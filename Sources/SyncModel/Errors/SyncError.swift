/// An error with a stable ``SyncErrorCode`` and a sentence for people.
public struct SyncError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The stable code.
    public var code: SyncErrorCode
    /// A human sentence saying what is wrong and, where it helps, what to do.
    public var message: String
    /// For `rate_limited`: the seconds the hub asked to wait (its `Retry-After`).
    public var retryAfter: Double?

    /// Creates an error.
    public init(_ code: SyncErrorCode, _ message: String, retryAfter: Double? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
