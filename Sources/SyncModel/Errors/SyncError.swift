/// An error with a stable ``SyncErrorCode`` and a sentence for people.
public struct SyncError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The stable code.
    public var code: SyncErrorCode
    /// A human sentence saying what is wrong and, where it helps, what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: SyncErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
