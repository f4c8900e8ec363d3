import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import SyncModel

/// A lean protocol-v1 client for the load generators: request bodies are encoded (and
/// gzipped, as the station transport does) before the clock starts, so the measured time
/// is the hub's, not the JSON encoder's in the load generator.
///
/// It speaks HTTP through AsyncHTTPClient (SwiftNIO, epoll) rather than the station's
/// URLSession transport: 20 simulated stations in one process waiting on URLSession
/// (libcurl polled from dispatch sources) cost the load generator 0.4–0.9 of this machine's
/// two cores in context switches alone, CPU the hub under test then did not get. A real
/// station waits on one request at a time on a machine of its own.
struct HubClient: Sendable {
    let hub: URL
    let token: String
    let schemaTag: String

    /// One connection pool for every simulated station, kept for the life of the process
    /// (so it never needs shutting down); enough connections per host for every station.
    private static let http = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            timeout: .init(connect: .seconds(10), read: .seconds(600)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)))

    init(hub: URL, token: String, schemaTag: String) {
        self.hub = hub
        self.token = token
        self.schemaTag = schemaTag
    }

    private func request(_ path: String, query: String = "") -> HTTPClientRequest {
        var request = HTTPClientRequest(url: hub.absoluteString + "/" + path + query)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: WireProtocol.versionHeader, value: String(WireProtocol.version))
        request.headers.add(name: WireProtocol.schemaHeader, value: schemaTag)
        return request
    }

    /// Sends a pre-encoded push body (gzipped when `gzipped`) and decodes the answer.
    func push(body: Data, gzipped: Bool) async throws -> PushResponse {
        var request = request("v1/push")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: WireProtocol.contentType)
        if gzipped { request.headers.add(name: "Content-Encoding", value: "gzip") }
        request.body = .bytes(ByteBuffer(data: body))
        let data = try await send(request)
        return try JSONDecoder().decode(PushResponse.self, from: data)
    }

    /// One pull page, uncompressed, decoded.
    func pull(cursor: Int64, limit: Int) async throws -> (PullResponse, bytes: Int) {
        var request = request("v1/pull", query: "?cursor=\(cursor)&limit=\(limit)")
        request.headers.add(name: "Accept-Encoding", value: "identity")
        let data = try await send(request)
        let page = try data.withUnsafeBytes { bytes in try WireJSON.decode(PullResponse.self, from: bytes) }
        return (page, data.count)
    }

    /// One pull page as the hub sends it uncompressed.
    func pullBody(cursor: Int64, limit: Int) async throws -> Data {
        var request = request("v1/pull", query: "?cursor=\(cursor)&limit=\(limit)")
        request.headers.add(name: "Accept-Encoding", value: "identity")
        return try await send(request)
    }

    /// The hub's digest of this station's view.
    func digest() async throws -> DigestResponse {
        try JSONDecoder().decode(DigestResponse.self, from: try await send(request("v1/digest")))
    }

    /// Sends `request` and returns the body of a 200 answer; any other status is an error
    /// that quotes the hub's answer.
    private func send(_ request: HTTPClientRequest) async throws -> Data {
        let response = try await Self.http.execute(request, timeout: .seconds(600))
        let body = try await response.body.collect(upTo: 1 << 30)
        let data = Data(buffer: body, byteTransferStrategy: .noCopy)
        guard response.status == .ok else {
            throw BenchError("hub answered \(response.status.code): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return data
    }
}
