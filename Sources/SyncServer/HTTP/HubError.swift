public import SyncModel
public import Hummingbird
import Foundation

/// An error the hub answers with: an HTTP status and the JSON ``ErrorBody``
/// `{"error":{"code","message"}}` (plus `acked` for `seq_gap`, `hubProtocol` for
/// `protocol_mismatch`).
public struct HubError: Error, HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The body.
    public var body: ErrorBody
    /// For 405: the method the path answers (sent as `Allow`).
    public var allow: String?
    /// For 429: the seconds to wait (sent as `Retry-After`).
    public var retryAfter: Int?

    /// Creates an error with an explicit status.
    public init(_ status: HTTPResponse.Status, _ code: SyncErrorCode, _ message: String, acked: UInt64? = nil, hubProtocol: Int? = nil) {
        self.status = status
        self.body = ErrorBody(code: code, message: message, acked: acked, hubProtocol: hubProtocol)
    }

    /// Wraps a ``SyncError`` with the status its code is answered with.
    public init(_ error: SyncError) {
        self.init(Self.status(for: error.code), error.code, error.message)
    }

    /// The HTTP status a code is answered with.
    public static func status(for code: SyncErrorCode) -> HTTPResponse.Status {
        switch code {
        case .unauthorized, .tokenRevoked: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .protocolMismatch: .upgradeRequired
        case .schemaMismatch, .seqGap, .clockSkew: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .rateLimited: .tooManyRequests
        case .diskFull: .init(code: 507, reasonPhrase: "Insufficient Storage")
        case .busy, .unavailable, .readOnly: .serviceUnavailable
        case .internalError, .storeInvalid: .internalServerError
        default: .badRequest
        }
    }

    public var description: String { "\(status.code) \(body.error.code.rawValue): \(body.error.message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"code":"internal","message":"error"}}"#.utf8)
        var headers = HTTPFields()
        headers[.contentType] = WireProtocol.contentType
        if let allow { headers[.allow] = allow }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
