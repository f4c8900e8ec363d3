import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Synchronization

/// A small HTTP proxy in front of a live hub that injects faults: answers `503` with
/// `Retry-After: 0`, or forwards a request and then drops the connection half way through
/// the hub's answer (after the hub has acted on it).
final class FlakyProxy: Sendable {
    /// A fault injected into one request.
    enum Fault: Sendable {
        /// Answer 503 without forwarding.
        case unavailable
        /// Forward, then cut the answer off half way.
        case dropResponse
    }

    let upstream: URL
    /// Faults still to inject, in order, into requests whose path contains `path`.
    private let faults: Mutex<[Fault]>
    private let path: String
    /// How many faults were injected.
    let injected = Atomic<Int>(0)

    init(upstream: URL, path: String, faults: [Fault]) {
        self.upstream = upstream
        self.path = path
        self.faults = Mutex(faults)
    }

    /// The proxy's application (run it with `.test(.live)`).
    func application() -> some ApplicationProtocol {
        let router = Router()
        router.middlewares.add(Forward(proxy: self))
        return Application(router: router)
    }

    private func nextFault(for requestPath: String) -> Fault? {
        guard requestPath.contains(path) else { return nil }
        return faults.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    private struct Forward: RouterMiddleware {
        typealias Context = BasicRequestContext
        let proxy: FlakyProxy

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            let fault = proxy.nextFault(for: request.uri.path)
            if fault != nil { proxy.injected.add(1, ordering: .relaxed) }
            if case .unavailable? = fault {
                return Response(status: .serviceUnavailable, headers: [.retryAfter: "0"])
            }
            var body = try await request.body.collect(upTo: 64 << 20)
            var forwarded = URLRequest(url: URL(string: proxy.upstream.absoluteString + request.uri.description)!)
            forwarded.httpMethod = request.method.rawValue
            for field in request.headers where field.name != .contentLength {
                forwarded.setValue(field.value, forHTTPHeaderField: field.name.rawName)
            }
            if let bytes = body.readBytes(length: body.readableBytes), !bytes.isEmpty { forwarded.httpBody = Data(bytes) }
            let (data, response) = try await URLSession.shared.data(for: forwarded)
            let status = HTTPResponse.Status(code: (response as? HTTPURLResponse)?.statusCode ?? 502)
            let buffer = ByteBuffer(bytes: data)
            if case .dropResponse? = fault {
                let half = buffer.getSlice(at: 0, length: buffer.readableBytes / 2)!
                return Response(
                    status: status, headers: [.contentType: "application/json"],
                    body: ResponseBody(contentLength: buffer.readableBytes) { writer in
                        try await writer.write(half)
                        throw CancellationError()
                    })
            }
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
        }
    }
}
