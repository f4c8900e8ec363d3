public import Foundation
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif
import CompressNIO
import NIOCore
public import SyncModel

/// The HTTP transport: JSON over Foundation's URLSession (libcurl on Linux), gzip request
/// bodies, timeouts, and retries with backoff on network failures and 429/5xx answers.
/// Refusals (4xx) are never retried.
public struct HTTPTransport: ChangeTransport {
    /// Where and how to reach the hub.
    public struct Configuration: Sendable {
        /// The hub's base URL, e.g. `http://127.0.0.1:8080`.
        public var hub: URL
        /// The station's bearer token.
        public var token: String
        /// The schema tag sent in `Tributary-Schema`, e.g. `county-work/1`.
        public var schemaTag: String
        /// Seconds before a request without an answer is abandoned.
        public var timeout: Double = 60
        /// How failures that may pass are retried.
        public var retry: RetryPolicy = RetryPolicy()
        /// Request bodies at least this large are sent gzip-compressed.
        public var gzipThreshold: Int = 1_024

        /// Creates a configuration.
        public init(hub: URL, token: String, schemaTag: String, timeout: Double = 60, retry: RetryPolicy = RetryPolicy()) {
            self.hub = hub
            self.token = token
            self.schemaTag = schemaTag
            self.timeout = timeout
            self.retry = retry
        }
    }

    /// The configuration.
    public let configuration: Configuration
    private let session: URLSession

    /// Creates a transport.
    public init(configuration: Configuration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.timeout
        sessionConfiguration.timeoutIntervalForResource = configuration.timeout * 4
        self.session = URLSession(configuration: sessionConfiguration)
    }

    public func push(_ request: PushRequest) async throws(SyncError) -> PushResponse {
        try await send("POST", path: "v1/push", body: Data(WireJSON.encode(request)))
    }

    public func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse {
        try await send("GET", path: "v1/pull", query: ["cursor": String(cursor), "limit": String(limit)])
    }

    public func snapshot(page: String?, limit: Int) async throws(SyncError) -> SnapshotPage {
        var query = ["limit": String(limit)]
        if let page { query["page"] = page }
        return try await send("GET", path: "v1/snapshot", query: query)
    }

    public func whoami() async throws(SyncError) -> WhoAmIResponse {
        try await send("GET", path: "v1/whoami")
    }

    public func scopeDigest() async throws(SyncError) -> DigestResponse {
        try await send("GET", path: "v1/digest")
    }

    /// The hub's digest of what this station sees with the digest of each of its records
    /// (`GET /v1/digest?detail=records`), to tell which records differ.
    public func scopeDigestWithRecords() async throws(SyncError) -> DigestResponse {
        try await send("GET", path: "v1/digest", query: ["detail": "records"])
    }

    /// Sends one request, retrying what may pass, and decodes the answer.
    private func send<Response: Decodable>(
        _ method: String, path: String, query: [String: String] = [:], body: Data? = nil
    ) async throws(SyncError) -> Response {
        let request = makeRequest(method, path: path, query: query, body: body)
        var attempt = 1
        while true {
            let failure: HTTPFailure
            do {
                let (data, response) = try await session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) {
                    do {
                        return try Self.decode(Response.self, from: data)
                    } catch {
                        throw HTTPFailure(error: SyncError(.internalError, "the hub's answer to \(path) could not be read (cut short?)"), retryAfter: nil)
                    }
                }
                let retryHeader = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init)
                throw HTTPFailure(error: Self.error(status: status, body: data, hub: configuration.hub, retryAfter: retryHeader), retryAfter: retryHeader)
            } catch let caught as HTTPFailure {
                failure = caught
            } catch {
                failure = HTTPFailure(
                    error: SyncError(.unreachable, "hub unreachable at \(configuration.hub.absoluteString): \(Self.describe(error))"),
                    retryAfter: nil)
            }
            // A hub out of disk (507) or read-only is retried by the next round, not within
            // seconds: space does not come back that fast.
            let diskFault = failure.error.code == .diskFull || failure.error.code == .readOnly
            guard failure.error.isRetryable, !diskFault, attempt < configuration.retry.attempts else { throw failure.error }
            let delay = configuration.retry.delay(beforeRetry: attempt, retryAfter: failure.retryAfter)
            attempt += 1
            do {
                try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            } catch {
                throw SyncError(.unreachable, "cancelled while waiting to retry the hub")
            }
        }
    }

    /// Decodes an answer: the sync messages with the hand-written ``WireJSON`` codec, the
    /// small ones with Foundation.
    private static func decode<Response: Decodable>(_ type: Response.Type, from data: Data) throws -> Response {
        if let message = Response.self as? any WireJSONMessage.Type,
            let decoded = try data.withUnsafeBytes({ bytes in try WireJSON.decode(message, from: bytes) }) as? Response
        {
            return decoded
        }
        return try JSONDecoder().decode(Response.self, from: data)
    }

    private func makeRequest(_ method: String, path: String, query: [String: String], body: Data?) -> URLRequest {
        var components = URLComponents(url: configuration.hub.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        var request = URLRequest(url: components.url!)
        request.httpMethod = method
        request.timeoutInterval = configuration.timeout
        request.setValue("Bearer \(configuration.token)", forHTTPHeaderField: "Authorization")
        request.setValue(String(WireProtocol.version), forHTTPHeaderField: WireProtocol.versionHeader)
        request.setValue(configuration.schemaTag, forHTTPHeaderField: WireProtocol.schemaHeader)
        request.setValue(WireProtocol.contentType, forHTTPHeaderField: "Accept")
        if let body {
            request.setValue(WireProtocol.contentType, forHTTPHeaderField: "Content-Type")
            if body.count >= configuration.gzipThreshold, let compressed = Self.gzip(body) {
                request.setValue("gzip", forHTTPHeaderField: "Content-Encoding")
                request.httpBody = compressed
            } else {
                request.httpBody = body
            }
        }
        return request
    }

    /// gzip of `data`, or `nil` if compression fails (then the body goes uncompressed).
    static func gzip(_ data: Data) -> Data? {
        var buffer = ByteBuffer(bytes: data)
        guard var compressed = try? buffer.compress(with: .gzip()) else { return nil }
        return compressed.readBytes(length: compressed.readableBytes).map { Data($0) }
    }

    /// The error an HTTP error answer stands for, with the sentences a clerk needs.
    static func error(status: Int, body: Data, hub: URL, retryAfter: Double? = nil) -> SyncError {
        if status == 429 {
            let wait = retryAfter.map { "wait \(Int($0.rounded(.up))) s, then sync again" } ?? "wait a minute, then sync again"
            return SyncError(.rateLimited, "the hub at \(hub.absoluteString) is limiting this station's requests: \(wait)", retryAfter: retryAfter)
        }
        if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: body) {
            let detail = decoded.error
            switch detail.code {
            case .tokenRevoked:
                // The hub's sentence names the station and the way out (`station rotate`, then
                // `remote set`); the outbox is kept for the new token.
                return SyncError(.tokenRevoked, "\(detail.message) — this station's unsent changes are kept")
            case .protocolMismatch:
                let hubVersion = detail.hubProtocol.map { "v\($0)" } ?? "another version"
                return SyncError(
                    .protocolMismatch,
                    "protocol version mismatch: hub speaks \(hubVersion), this station v\(WireProtocol.version) — upgrade")
            default:
                return SyncError(detail.code, detail.message)
            }
        }
        switch status {
        case 502, 503, 504: return SyncError(.unavailable, "the hub at \(hub.absoluteString) is busy (HTTP \(status)); will retry")
        case 500...599: return SyncError(.internalError, "the hub failed (HTTP \(status))")
        case 401: return SyncError(.unauthorized, "the hub did not accept this station's token")
        default: return SyncError(.badRequest, "the hub answered HTTP \(status) without an explanation")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .cannotConnectToHost: return "connection refused"
            case .timedOut: return "timed out"
            case .networkConnectionLost: return "connection lost"
            case .cannotFindHost: return "unknown host"
            case .notConnectedToInternet: return "no network"
            default: return urlError.localizedDescription
            }
        }
        return "\(error)"
    }
}

/// A failed HTTP exchange, carried out of the `do` block of ``HTTPTransport``.
private struct HTTPFailure: Error {
    var error: SyncError
    var retryAfter: Double?
}
