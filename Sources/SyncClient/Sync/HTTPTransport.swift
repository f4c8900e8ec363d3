public import Foundation
import AsyncHTTPClient
import CompressNIO
import NIOCore
import NIOHTTP1
public import SyncModel

/// The HTTP transport: JSON over AsyncHTTPClient (SwiftNIO, TLS by BoringSSL), gzip request
/// and response bodies, timeouts, and retries with backoff and full jitter on network failures
/// and 429/5xx answers, honouring `Retry-After`. Refusals (4xx) are never retried, nor is a
/// hub whose TLS certificate this station does not trust.
///
/// HTTPS trusts the system's certificate authorities, those in the files named by
/// `SSL_CERT_FILE` and `CURL_CA_BUNDLE`, and ``Configuration/certificateAuthorities`` (the
/// county's own CA, kept with the replica by `tributary remote set --ca FILE`).
public struct HTTPTransport: ChangeTransport {
    /// Where and how to reach the hub.
    public struct Configuration: Sendable {
        /// The hub's base URL, e.g. `http://127.0.0.1:8080`.
        public var hub: URL
        /// The station's bearer token.
        public var token: String
        /// The schema tag sent in `Tributary-Schema`, e.g. `county-work/1`.
        public var schemaTag: String
        /// Seconds without progress (connecting, or between two reads) before a request is
        /// abandoned; a whole request may take four times as long.
        public var timeout: Double = 60
        /// How failures that may pass are retried.
        public var retry: RetryPolicy = RetryPolicy()
        /// Request bodies at least this large are sent gzip-compressed.
        public var gzipThreshold: Int = 1_024
        /// Certificate authorities to trust besides the system's, as PEM text (one or more
        /// certificates), e.g. the county's own CA.
        public var certificateAuthorities: String?
        /// The largest answer accepted, after gunzip.
        public var maxResponseBytes: Int = 512 * 1024 * 1024

        /// Creates a configuration.
        public init(
            hub: URL, token: String, schemaTag: String, timeout: Double = 60, retry: RetryPolicy = RetryPolicy(),
            certificateAuthorities: String? = nil
        ) {
            self.hub = hub
            self.token = token
            self.schemaTag = schemaTag
            self.timeout = timeout
            self.retry = retry
            self.certificateAuthorities = certificateAuthorities
        }
    }

    /// The configuration.
    public let configuration: Configuration
    private let client: HTTPClient
    private let trust: Result<TransportTrust, SyncError>

    /// Creates a transport.
    public init(configuration: Configuration) {
        self.configuration = configuration
        self.client = TransportClients.client(timeout: configuration.timeout)
        self.trust = Result { () throws(SyncError) in try TransportTrust(certificateAuthorities: configuration.certificateAuthorities) }
    }

    public func push(_ request: PushRequest) async throws(SyncError) -> PushResponse {
        try await send(.POST, path: "v1/push", body: WireJSON.encode(request))
    }

    public func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse {
        try await send(.GET, path: "v1/pull", query: ["cursor": String(cursor), "limit": String(limit)])
    }

    public func snapshot(page: String?, limit: Int) async throws(SyncError) -> SnapshotPage {
        var query = ["limit": String(limit)]
        if let page { query["page"] = page }
        return try await send(.GET, path: "v1/snapshot", query: query)
    }

    public func whoami() async throws(SyncError) -> WhoAmIResponse {
        try await send(.GET, path: "v1/whoami")
    }

    public func scopeDigest() async throws(SyncError) -> DigestResponse {
        try await send(.GET, path: "v1/digest")
    }

    /// The hub's digest of what this station sees with the digest of each of its records
    /// (`GET /v1/digest?detail=records`), to tell which records differ.
    public func scopeDigestWithRecords() async throws(SyncError) -> DigestResponse {
        try await send(.GET, path: "v1/digest", query: ["detail": "records"])
    }

    public func schema(version: Int?) async throws(SyncError) -> Schema {
        try await send(.GET, path: "v1/schema", query: version.map { ["version": String($0)] } ?? [:])
    }

    public func sites() async throws(SyncError) -> SitesResponse {
        try await send(.GET, path: "v1/sites")
    }

    /// Sends one request, retrying what may pass, and decodes the answer.
    private func send<Response: Decodable>(
        _ method: HTTPMethod, path: String, query: [String: String] = [:], body: [UInt8]? = nil
    ) async throws(SyncError) -> Response {
        let request = try makeRequest(method, path: path, query: query, body: body)
        var attempt = 1
        while true {
            let failure: HTTPFailure
            do {
                let (status, headers, data) = try await exchange(request)
                if (200..<300).contains(status) {
                    do {
                        return try Self.decode(Response.self, from: data)
                    } catch {
                        throw HTTPFailure(error: SyncError(.internalError, "the hub's answer to \(path) could not be read (cut short?)"), retryAfter: nil)
                    }
                }
                let retryHeader = headers.first(name: "Retry-After").flatMap(Double.init)
                throw HTTPFailure(error: Self.error(status: status, body: data, hub: configuration.hub, retryAfter: retryHeader), retryAfter: retryHeader)
            } catch let caught as HTTPFailure {
                failure = caught
            } catch {
                failure = HTTPFailure(error: TransportErrors.describe(error, hub: configuration.hub), retryAfter: nil)
            }
            // A hub out of disk (507) or read-only is retried by the next round, not within
            // seconds: space does not come back that fast. Nor does trust in a certificate.
            let lasting = [.diskFull, .readOnly].contains(failure.error.code) || TransportErrors.isCertificateProblem(failure.error)
            guard failure.error.isRetryable, !lasting, attempt < configuration.retry.attempts else { throw failure.error }
            let delay = configuration.retry.delay(beforeRetry: attempt, retryAfter: failure.retryAfter)
            attempt += 1
            do {
                try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            } catch {
                throw SyncError(.unreachable, "cancelled while waiting to retry the hub")
            }
        }
    }

    /// One HTTP exchange: the status, the headers and the body (gunzipped).
    private func exchange(_ request: HTTPClientRequest) async throws -> (Int, HTTPHeaders, [UInt8]) {
        let response = try await client.execute(request, timeout: .milliseconds(Int64(configuration.timeout * 4_000)))
        var body = try await response.body.collect(upTo: configuration.maxResponseBytes)
        if response.headers.first(name: "Content-Encoding")?.lowercased() == "gzip" {
            do {
                body = try body.decompress(with: .gzip(), maxSize: configuration.maxResponseBytes)
            } catch {
                throw HTTPFailure(error: SyncError(.internalError, "the hub's gzip answer could not be read (cut short?)"), retryAfter: nil)
            }
        }
        return (Int(response.status.code), response.headers, body.readBytes(length: body.readableBytes) ?? [])
    }

    /// Decodes an answer: the sync messages with the hand-written ``WireJSON`` codec, the
    /// small ones with Foundation.
    private static func decode<Response: Decodable>(_ type: Response.Type, from data: [UInt8]) throws -> Response {
        if let message = Response.self as? any WireJSONMessage.Type,
            let decoded = try data.withUnsafeBytes({ bytes in try WireJSON.decode(message, from: bytes) }) as? Response
        {
            return decoded
        }
        return try JSONDecoder().decode(Response.self, from: Data(data))
    }

    private func makeRequest(_ method: HTTPMethod, path: String, query: [String: String], body: [UInt8]?) throws(SyncError) -> HTTPClientRequest {
        var components = URLComponents(url: configuration.hub.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        var request = HTTPClientRequest(url: components.url!.absoluteString)
        request.method = method
        request.tlsConfiguration = try trust.get().tls
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        request.headers.add(name: WireProtocol.versionHeader, value: String(WireProtocol.version))
        request.headers.add(name: WireProtocol.schemaHeader, value: configuration.schemaTag)
        request.headers.add(name: "Accept", value: WireProtocol.contentType)
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "User-Agent", value: "tributary/\(SoftwareVersion.current)")
        if let body {
            request.headers.add(name: "Content-Type", value: WireProtocol.contentType)
            if body.count >= configuration.gzipThreshold, let compressed = Self.gzip(body) {
                request.headers.add(name: "Content-Encoding", value: "gzip")
                request.body = .bytes(compressed)
            } else {
                request.body = .bytes(ByteBuffer(bytes: body))
            }
        }
        return request
    }

    /// gzip of `bytes`, or `nil` if compression fails (then the body goes uncompressed).
    static func gzip(_ bytes: [UInt8]) -> ByteBuffer? {
        var buffer = ByteBuffer(bytes: bytes)
        return try? buffer.compress(with: .gzip())
    }

    /// The error an HTTP error answer stands for, with the sentences a clerk needs.
    static func error(status: Int, body: [UInt8], hub: URL, retryAfter: Double? = nil) -> SyncError {
        if status == 429 {
            let wait = retryAfter.map { "wait \(Int($0.rounded(.up))) s, then sync again" } ?? "wait a minute, then sync again"
            return SyncError(.rateLimited, "the hub at \(hub.absoluteString) is limiting this station's requests: \(wait)", retryAfter: retryAfter)
        }
        if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)) {
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
}

/// A failed HTTP exchange, carried out of the `do` block of ``HTTPTransport``.
struct HTTPFailure: Error {
    var error: SyncError
    var retryAfter: Double?
}
