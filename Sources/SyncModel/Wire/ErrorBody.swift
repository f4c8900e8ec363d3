/// The body of every error response: `{"error":{"code":"…","message":"…"}}`.
public struct ErrorBody: Hashable, Sendable, Codable {
    /// The error.
    public var error: Detail

    /// The error object.
    public struct Detail: Hashable, Sendable, Codable {
        /// The stable code.
        public var code: SyncErrorCode
        /// The reason in a sentence.
        public var message: String
        /// For `seq_gap`: the highest seq of the station the hub holds; resend from the next.
        public var acked: UInt64?
        /// For `protocol_mismatch`: the protocol version the hub speaks.
        public var hubProtocol: Int?

        /// Creates an error object.
        public init(code: SyncErrorCode, message: String, acked: UInt64? = nil, hubProtocol: Int? = nil) {
            self.code = code
            self.message = message
            self.acked = acked
            self.hubProtocol = hubProtocol
        }
    }

    /// Creates an error body.
    public init(code: SyncErrorCode, message: String, acked: UInt64? = nil, hubProtocol: Int? = nil) {
        self.error = Detail(code: code, message: message, acked: acked, hubProtocol: hubProtocol)
    }
}

extension SyncErrorCode {
    // MARK: Protocol (HTTP) errors

    /// No or malformed `Authorization: Bearer` header, or an unknown token.
    public static let unauthorized = SyncErrorCode(rawValue: "unauthorized")
    /// The token was revoked.
    public static let tokenRevoked = SyncErrorCode(rawValue: "token_revoked")
    /// The token may not do this (a station token on an admin route, a report outside its scope).
    public static let forbidden = SyncErrorCode(rawValue: "forbidden")
    /// The request's protocol version is not the hub's.
    public static let protocolMismatch = SyncErrorCode(rawValue: "protocol_mismatch")
    /// The request's schema name or version is not the hub's.
    public static let schemaMismatch = SyncErrorCode(rawValue: "schema_mismatch")
    /// The body is not valid JSON of the expected shape, or a parameter is malformed.
    public static let badRequest = SyncErrorCode(rawValue: "bad_request")
    /// The path exists but not with this HTTP method (HTTP 405).
    public static let methodNotAllowed = SyncErrorCode(rawValue: "method_not_allowed")
    /// The body is larger than the hub accepts.
    public static let payloadTooLarge = SyncErrorCode(rawValue: "payload_too_large")
    /// A push does not start right after the highest seq the hub holds for the station.
    public static let seqGap = SyncErrorCode(rawValue: "seq_gap")
    /// A pull cursor or snapshot page token the hub never issued.
    public static let badCursor = SyncErrorCode(rawValue: "bad_cursor")
    /// A push holds a change of another site.
    public static let wrongSite = SyncErrorCode(rawValue: "wrong_site")
    /// The token (or the client address, for failed logins) sent more requests than the hub's
    /// rate limit allows; retry after the `Retry-After` seconds (HTTP 429).
    public static let rateLimited = SyncErrorCode(rawValue: "rate_limited")
    /// The hub is shutting down or overloaded; retry later.
    public static let unavailable = SyncErrorCode(rawValue: "unavailable")
    /// Something failed inside the hub; nothing of the request was applied.
    public static let internalError = SyncErrorCode(rawValue: "internal")
    /// The hub could not be reached (client side only, never sent by a hub).
    public static let unreachable = SyncErrorCode(rawValue: "hub_unreachable")
}
