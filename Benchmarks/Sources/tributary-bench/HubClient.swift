import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SyncModel

/// A lean protocol-v1 client for the load generators: request bodies are encoded (and
/// gzipped, as the station transport does) before the clock starts, so the measured time
/// is the hub's, not the JSON encoder's in the load generator.
struct HubClient: Sendable {
    let hub: URL
    let token: String
    let schemaTag: String
    let session: URLSession

    init(hub: URL, token: String, schemaTag: String) {
        self.hub = hub
        self.token = token
        self.schemaTag = schemaTag
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 600
        configuration.timeoutIntervalForResource = 1200
        self.session = URLSession(configuration: configuration)
    }

    private func request(_ path: String, query: String = "") -> URLRequest {
        var request = URLRequest(url: URL(string: hub.absoluteString + "/" + path + query)!)
        request.timeoutInterval = 600
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue(String(WireProtocol.version), forHTTPHeaderField: WireProtocol.versionHeader)
        request.setValue(schemaTag, forHTTPHeaderField: WireProtocol.schemaHeader)
        return request
    }

    /// Sends a pre-encoded push body (gzipped when `gzipped`) and decodes the answer.
    func push(body: Data, gzipped: Bool) async throws -> PushResponse {
        var request = request("v1/push")
        request.httpMethod = "POST"
        request.setValue(WireProtocol.contentType, forHTTPHeaderField: "Content-Type")
        if gzipped { request.setValue("gzip", forHTTPHeaderField: "Content-Encoding") }
        request.httpBody = body
        return try await send(request)
    }

    /// One pull page; `gzip` asks for a compressed answer (URLSession inflates it).
    func pull(cursor: Int64, limit: Int, gzip: Bool = true) async throws -> (PullResponse, bytes: Int) {
        var request = request("v1/pull", query: "?cursor=\(cursor)&limit=\(limit)")
        request.setValue(gzip ? "gzip" : "identity", forHTTPHeaderField: "Accept-Encoding")
        let (data, response) = try await session.data(for: request)
        try Self.check(response, data)
        let page = try data.withUnsafeBytes { bytes in try WireJSON.decode(PullResponse.self, from: bytes) }
        return (page, data.count)
    }

    /// One pull page as the hub sends it uncompressed.
    func pullBody(cursor: Int64, limit: Int) async throws -> Data {
        var request = request("v1/pull", query: "?cursor=\(cursor)&limit=\(limit)")
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        let (data, response) = try await session.data(for: request)
        try Self.check(response, data)
        return data
    }

    /// The hub's digest of this station's view.
    func digest() async throws -> DigestResponse {
        try await send(request("v1/digest"))
    }

    private func send<T: Decodable>(_ request: URLRequest) async throws -> T {
        let (data, response) = try await session.data(for: request)
        try Self.check(response, data)
        return try JSONDecoder().decode(T.self, from: data)
    }

    private static func check(_ response: URLResponse, _ data: Data) throws {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw BenchError("hub answered \(status): \(String(decoding: data.prefix(300), as: UTF8.self))") }
    }
}
