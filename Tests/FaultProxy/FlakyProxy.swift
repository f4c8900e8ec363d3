public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import Hummingbird
public import Logging
import Synchronization
import TributaryTestSupport

/// A small HTTP proxy in front of a live hub that injects faults: it answers `503`, loses a
/// request, drops or cuts short the hub's answer, holds a request back, or forwards it twice.
///
/// Scripted (``init(upstream:path:faults:)``): the listed faults, in order, on the requests
/// whose path contains `path`. Random (``init(upstream:plan:)``): each request draws a fault
/// with the plan's rate, from a seeded generator, while ``isEnabled``.
public final class FlakyProxy: Sendable {
    /// A fault injected into one request.
    public enum Fault: String, Sendable, CaseIterable, Hashable, Comparable {
        /// Answer 503 with `Retry-After: 0` without forwarding.
        case unavailable
        /// Close the connection without forwarding: the hub never hears of the request.
        case dropRequest
        /// Forward, then close the connection before any byte of the answer body.
        case dropResponse
        /// Forward, then cut the answer off half way.
        case truncateResponse
        /// Hold the request back before forwarding it, and the answer before sending it.
        case delay
        /// Forward the request twice at once (the hub sees it twice) and answer with one of the two.
        case duplicateRequest

        public static func < (lhs: Fault, rhs: Fault) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// How a random proxy chooses faults.
    public struct Plan: Sendable {
        /// The share of requests that get a fault, 0…1.
        public var rate: Double
        /// The faults to choose from, evenly.
        public var kinds: [Fault]
        /// The longest pause of a ``Fault/delay``, in milliseconds (each side).
        public var maxDelayMillis: Int
        /// The seed of the proxy's generator.
        public var seed: UInt64

        /// Creates a plan.
        public init(rate: Double = 0.3, kinds: [Fault] = Fault.allCases, maxDelayMillis: Int = 400, seed: UInt64) {
            self.rate = rate
            self.kinds = kinds
            self.maxDelayMillis = maxDelayMillis
            self.seed = seed
        }
    }

    private struct State {
        var upstream: URL
        var scripted: [Fault]
        var random: SeededRandom
        var enabled = true
        var counts: [Fault: Int] = [:]
        /// The request to hold back: its path contains `path`, and `remaining` - 1 such
        /// requests pass before it.
        var hold: (path: String, remaining: Int)?
    }

    /// Says (once) that a request is held; ends the held request's wait.
    private let holding = AsyncStream.makeStream(of: Void.self)
    private let releasing = AsyncStream.makeStream(of: Void.self)

    /// The hub the proxy forwards to; it may change between requests (as a load balancer
    /// sends a station to another hub process).
    public var upstream: URL {
        get { state.withLock { $0.upstream } }
        set { state.withLock { $0.upstream = newValue } }
    }
    private let path: String
    private let plan: Plan?
    private let state: Mutex<State>
    private let session: URLSession

    /// A proxy injecting `faults`, in order, into requests whose path contains `path`.
    public init(upstream: URL, path: String, faults: [Fault]) {
        self.path = path
        self.plan = nil
        self.state = Mutex(State(upstream: upstream, scripted: faults, random: SeededRandom(seed: 1)))
        self.session = Self.makeSession()
    }

    /// A proxy injecting random faults into every request, as `plan` says.
    public init(upstream: URL, plan: Plan) {
        self.path = ""
        self.plan = plan
        self.state = Mutex(State(upstream: upstream, scripted: [], random: SeededRandom(seed: plan.seed)))
        self.session = Self.makeSession()
    }

    private static func makeSession() -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: configuration)
    }

    /// Whether the proxy injects faults (a clean link when `false`).
    public var isEnabled: Bool {
        get { state.withLock { $0.enabled } }
        set { state.withLock { $0.enabled = newValue } }
    }

    /// How many faults were injected.
    public var injected: Int { state.withLock { $0.counts.values.reduce(0, +) } }

    /// How many faults of each kind were injected.
    public var injectedByKind: [Fault: Int] { state.withLock { $0.counts } }

    /// Holds back the `n`th request from now (1: the next) whose path contains `path`, before
    /// forwarding it, until ``release()``: a test can act (revoke a token, kill a process) at
    /// a known point of a client's work. ``held()`` returns once that request is held.
    public func hold(request n: Int, pathContaining path: String) {
        state.withLock { $0.hold = (path, max(1, n)) }
    }

    /// Returns once the request named by ``hold(request:pathContaining:)`` is held.
    public func held() async {
        for await _ in holding.stream { return }
    }

    /// Lets the held request go on (and any later one that would be held).
    public func release() {
        releasing.continuation.yield()
        releasing.continuation.finish()
    }

    /// Waits here if `requestPath` is the request to hold.
    private func gate(_ requestPath: String) async {
        let mustHold = state.withLock { state -> Bool in
            guard let hold = state.hold, requestPath.contains(hold.path) else { return false }
            state.hold = hold.remaining > 1 ? (hold.path, hold.remaining - 1) : nil
            return hold.remaining == 1
        }
        guard mustHold else { return }
        holding.continuation.yield()
        for await _ in releasing.stream { break }
    }

    /// The proxy's application, on `address` (run it with `.test(.live)` or as a service).
    public func application(
        address: BindAddress = .hostname("127.0.0.1", port: 0), logger: Logger? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.middlewares.add(Forward(proxy: self))
        var quiet = logger ?? Logger(label: "tributary.flaky-proxy")
        if logger == nil { quiet.logLevel = .critical }
        return Application(
            router: router, configuration: .init(address: address),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) }, logger: quiet)
    }

    /// The fault for a request, and the pauses of a delay, drawn under the lock.
    private func nextFault(for requestPath: String) -> (fault: Fault?, pauses: (Int, Int), pickSecond: Bool) {
        state.withLock { state in
            var fault: Fault?
            if let plan {
                if state.enabled, !plan.kinds.isEmpty, state.random.chance(plan.rate) {
                    fault = plan.kinds[Int(state.random.next() % UInt64(plan.kinds.count))]
                }
            } else if requestPath.contains(path), !state.scripted.isEmpty {
                fault = state.scripted.removeFirst()
            }
            let most = UInt64(max(1, plan?.maxDelayMillis ?? 200))
            let pauses = (Int(state.random.next() % most), Int(state.random.next() % most))
            let pickSecond = state.random.next() % 2 == 0
            if let fault { state.counts[fault, default: 0] += 1 }
            return (fault, pauses, pickSecond)
        }
    }

    private struct Forward: RouterMiddleware {
        typealias Context = BasicRequestContext
        let proxy: FlakyProxy

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            await proxy.gate(request.uri.path)
            let (fault, pauses, pickSecond) = proxy.nextFault(for: request.uri.path)
            var body = try await request.body.collect(upTo: 64 << 20)
            let bytes = body.readBytes(length: body.readableBytes) ?? []
            switch fault {
            case .unavailable?:
                return Response(status: .serviceUnavailable, headers: [.retryAfter: "0"])
            case .dropRequest?:
                return Self.cut(nil, of: 1, status: .ok)
            case .delay?:
                try await Task.sleep(for: .milliseconds(pauses.0))
            default:
                break
            }
            let answer: (status: HTTPResponse.Status, data: Data, retryAfter: String?)
            if case .duplicateRequest? = fault {
                async let first = forward(request, bytes)
                async let second = forward(request, bytes)
                let both = await (first, second)
                answer = pickSecond ? both.1 : both.0
            } else {
                answer = await forward(request, bytes)
            }
            let buffer = ByteBuffer(bytes: answer.data)
            switch fault {
            case .dropResponse?:
                return Self.cut(nil, of: max(1, buffer.readableBytes), status: answer.status)
            case .truncateResponse?:
                return Self.cut(buffer.getSlice(at: 0, length: buffer.readableBytes / 2), of: max(1, buffer.readableBytes), status: answer.status)
            case .delay?:
                try await Task.sleep(for: .milliseconds(pauses.1))
            default:
                break
            }
            var headers: HTTPFields = [.contentType: "application/json"]
            // The hub's 429s and 503s say when to come back; a station honours it.
            if let retryAfter = answer.retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: answer.status, headers: headers, body: .init(byteBuffer: buffer))
        }

        /// Sends the request to the hub; a hub that cannot be reached is a `502`.
        private func forward(_ request: Request, _ bytes: [UInt8]) async -> (status: HTTPResponse.Status, data: Data, retryAfter: String?) {
            var forwarded = URLRequest(url: URL(string: proxy.upstream.absoluteString + request.uri.description)!)
            forwarded.httpMethod = request.method.rawValue
            for field in request.headers where field.name != .contentLength {
                forwarded.setValue(field.value, forHTTPHeaderField: field.name.rawName)
            }
            if !bytes.isEmpty { forwarded.httpBody = Data(bytes) }
            do {
                let (data, response) = try await proxy.session.data(for: forwarded)
                let http = response as? HTTPURLResponse
                return (HTTPResponse.Status(code: http?.statusCode ?? 502), data, http?.value(forHTTPHeaderField: "Retry-After"))
            } catch {
                return (.badGateway, Data(#"{"error":{"code":"unavailable","message":"the proxy could not reach the hub"}}"#.utf8), nil)
            }
        }

        /// An answer that announces `length` bytes, sends `part` (if any), then drops the connection.
        private static func cut(_ part: ByteBuffer?, of length: Int, status: HTTPResponse.Status) -> Response {
            Response(
                status: status, headers: [.contentType: "application/json"],
                body: ResponseBody(contentLength: length) { writer in
                    if let part { try await writer.write(part) }
                    throw CancellationError()
                })
        }
    }
}
