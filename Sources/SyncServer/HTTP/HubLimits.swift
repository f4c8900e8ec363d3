import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SyncModel

/// The hub's rate limits (SPEC §15): a token bucket per station token, admin token and
/// dashboard session, so that one runaway station cannot starve the others, and a bucket per
/// client address spent only by failed authentications, against token guessing. Both answer
/// 429 `rate_limited` with `Retry-After`.
struct HubLimits: Sendable {
    /// Requests per token or session.
    let requests: RateLimiter
    /// Failed authentications per client address.
    let failedAuth: RateLimiter
    /// Whether the client address is the last `X-Forwarded-For` entry (behind a proxy).
    let trustForwardedFor: Bool
    let metrics: HubMetrics

    init(configuration: HubConfiguration, metrics: HubMetrics) {
        self.requests = RateLimiter(perSecond: configuration.rateLimit, burst: configuration.rateBurst)
        self.failedAuth = RateLimiter(perSecond: configuration.failedAuthLimit, burst: configuration.failedAuthBurst)
        self.trustForwardedFor = configuration.trustForwardedFor
        self.metrics = metrics
    }

    /// Spends one request of `key` (`station:ID`, `admin:ID`, `session:ID`); throws 429 when
    /// its bucket is empty. `who` names the caller in the log (never a token).
    func admit(_ key: String, who: String, context: HubRequestContext) throws {
        guard let wait = requests.take(key) else { return }
        metrics.rateLimited(limit: "token")
        context.logger.notice(
            "hub.request.refused", metadata: ["hub.code": "rate_limited", "hub.who": "\(who)", "hub.retry_after": "\(Self.seconds(wait))"])
        throw Self.refusal(wait, "\(who) sends more requests than this hub allows (\(Self.rate(requests.perSecond))/s)")
    }

    /// The 429 error, with `Retry-After` in whole seconds (at least 1).
    static func refusal(_ wait: Double, _ sentence: String) -> HubError {
        let seconds = seconds(wait)
        var error = HubError(.tooManyRequests, .rateLimited, "\(sentence); retry in \(seconds) s")
        error.retryAfter = seconds
        return error
    }

    static func seconds(_ wait: Double) -> Int { max(1, Int(wait.rounded(.up))) }

    static func rate(_ perSecond: Double) -> String {
        perSecond == perSecond.rounded() ? String(Int(perSecond)) : String(perSecond)
    }

    /// The client's address: the peer of the connection, or with `--trust-forwarded-for`
    /// the last `X-Forwarded-For` entry (the one the trusted proxy added).
    func clientAddress(_ request: Request, context: HubRequestContext) -> String {
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return String(last.prefix(64))
        }
        return context.clientAddress ?? "unknown"
    }
}

/// Counts failed authentications per client address and, once an address has spent its
/// bucket, answers its requests that carry credentials with 429 before checking them. Also
/// logs every 401 and 403 at `notice` (code, path, client address; never a token).
struct FailedAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    let limits: HubLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let credentials = request.headers[.authorization] != nil || (request.method == .post && request.uri.path == "/login")
        guard credentials else { return try await next(request, context) }
        let address = limits.clientAddress(request, context: context)
        if let wait = limits.failedAuth.wait(address) {
            limits.metrics.rateLimited(limit: "failed_auth")
            context.logger.notice(
                "hub.request.refused",
                metadata: ["hub.code": "rate_limited", "hub.client": "\(address)", "hub.path": "\(request.uri.path.prefix(80))"])
            throw HubLimits.refusal(wait, "too many failed authentications from \(address)")
        }
        do {
            let response = try await next(request, context)
            if response.status == .unauthorized { failed(address, code: SyncErrorCode.unauthorized, request: request, context: context) }
            return response
        } catch let error as HubError where error.status == .unauthorized || error.status == .forbidden {
            failed(address, code: error.body.error.code, request: request, context: context, spend: error.status == .unauthorized)
            throw error
        } catch let error as SyncError where [.unauthorized, .tokenRevoked, .forbidden].contains(error.code) {
            failed(address, code: error.code, request: request, context: context, spend: error.code != .forbidden)
            throw error
        }
    }

    private func failed(_ address: String, code: SyncErrorCode, request: Request, context: Context, spend: Bool = true) {
        if spend { _ = limits.failedAuth.take(address) }
        context.logger.notice(
            "hub.request.refused",
            metadata: ["hub.code": "\(code)", "hub.client": "\(address)", "hub.path": "\(request.uri.path.prefix(80))"])
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`, honoured only with `--trust-forwarded-for`.
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
