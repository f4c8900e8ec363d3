import Foundation
import Hummingbird
import CompressNIO
import NIOCore
import SyncModel

/// Reading request bodies and writing response bodies: size limit, gzip both ways, JSON.
enum JSONBody {
    /// Collects the body (at most `limit` bytes, before and after gunzip) and decodes it.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try decode(type, from: try await collect(request, limit: limit), of: request, limit: limit)
    }

    /// Decodes a body already collected (gunzipped here, at most `limit` bytes).
    static func decode<T: Decodable>(_ type: T.Type, from collected: ByteBuffer, of request: Request, limit: Int) throws -> T {
        var buffer = collected
        if let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" {
            guard encoding == "gzip" else {
                throw HubError(.unsupportedMediaType, .badRequest, "the hub accepts request bodies plain or with Content-Encoding: gzip, not \(encoding)")
            }
            do {
                buffer = try buffer.decompress(with: .gzip(), maxSize: limit)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw tooLarge(limit)
            } catch {
                throw HubError(.badRequest, .badRequest, "the request body is not valid gzip")
            }
        }
        if let message = T.self as? any WireJSONMessage.Type {
            // The sync messages: the hand-written codec reads the buffer in place.
            do {
                if let decoded = try buffer.withUnsafeReadableBytes({ bytes in try WireJSON.decode(message, from: bytes) }) as? T {
                    return decoded
                }
            } catch let error as WireJSONError {
                throw HubError(.badRequest, .badRequest, "the body is not a valid \(T.self): \(error.description)")
            }
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw HubError(.badRequest, .badRequest, "the body is not a valid \(T.self): \(describe(error))")
        }
    }

    /// Collects the body, at most `limit` bytes (413 past it). A body the client cut short or
    /// framed wrongly (a `Content-Length` longer than what came, a malformed chunk) is 400
    /// `bad_request`, not a failure of the hub.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge(limit)
        } catch let error as HubError {
            throw error
        } catch {
            throw HubError(.badRequest, .badRequest, "the request body could not be read: it ended early or its framing is malformed")
        }
    }

    static func tooLarge(_ limit: Int) -> HubError {
        HubError(.contentTooLarge, .payloadTooLarge, "the body is larger than the \(limit) bytes this hub accepts; send smaller batches")
    }

    /// Where decoding failed, without echoing values (which may be personal data).
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "at the top level" : "at \(text)"
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "malformed JSON" : "malformed value \(path(context))"
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\" \(path(context))"
        case .typeMismatch(_, let context): return "wrong type \(path(context))"
        case .valueNotFound(_, let context): return "missing value \(path(context))"
        @unknown default: return "malformed JSON"
        }
    }

    /// A JSON response, gzipped when the client accepts it and the body is worth it.
    static func response<T: Encodable>(_ value: T, to request: Request, status: HTTPResponse.Status = .ok) throws -> Response {
        let body = if let message = value as? any WireJSONMessage { WireJSON.encode(message) } else { Array(try JSONEncoder().encode(value)) }
        return bytes(body, contentType: WireProtocol.contentType, to: request, status: status)
    }

    /// A response of raw bytes, gzipped when the client accepts it and the body is worth it.
    static func bytes(_ bytes: [UInt8], contentType: String, to request: Request, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        var buffer = ByteBuffer(bytes: bytes)
        if bytes.count >= 1_024, acceptsGzip(request), let compressed = try? buffer.compress(with: responseGzip) {
            headers[.contentEncoding] = "gzip"
            headers[.vary] = "Accept-Encoding"
            buffer = compressed
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// Answers are gzipped at zlib's fastest level: the hub's CPU is shared by every station
    /// syncing at 7 a.m., and on sync messages level 1 gives up little size to level 6
    /// (see Benchmarks/NOTES.md).
    static let responseGzip = CompressionAlgorithm.gzip(configuration: ZlibConfiguration(compressionLevel: .fastestCompression))

    static func acceptsGzip(_ request: Request) -> Bool {
        guard let accept = request.headers[.acceptEncoding]?.lowercased() else { return false }
        return accept.split(separator: ",").contains { part in
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.first == "gzip" else { return false }
            return !fields.dropFirst().contains("q=0")
        }
    }
}
