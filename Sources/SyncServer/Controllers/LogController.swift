import Foundation
import Hummingbird
import Logging
import SyncModel

/// `GET /v1/log?after=POS&limit=N`: the hub's change feed for auditors, admin tokens only
/// (SPEC §10 "Change feed"). Personal values are withheld.
struct LogController {
    let store: any HubStore
    let access: ReportAccess

    /// The default and largest page.
    static let defaultLimit = 1_000
    static let maxLimit = 20_000

    /// The route (outside the station-only ``ProtocolMiddleware`` group: ``ReportAccess`` makes
    /// the same header checks, then tells admin tokens from station tokens).
    var routes: RouteCollection<HubRequestContext> {
        let routes = RouteCollection(context: HubRequestContext.self)
        routes.get("v1/log", use: log)
        return routes
    }

    @Sendable func log(_ request: Request, context: HubRequestContext) async throws -> Response {
        guard case .admin(let admin) = try await access.viewer(for: request, context: context) else {
            throw HubError(
                .forbidden, .forbidden,
                "the change feed is for admin tokens (tributary-hub admin-token create); a station lists its own changes with `tributary log`")
        }
        let parameters = request.uri.queryParameters
        let after = try Self.number(parameters["after"].map(String.init), name: "after", default: 0, range: 0...Int64.max)
        let limit = try Self.number(
            parameters["limit"].map(String.init), name: "limit", default: Int64(Self.defaultLimit), range: 1...Int64(Self.maxLimit))
        var page = try await store.log(after: after, limit: Int(limit))
        page.entries = page.entries.map { $0.withholdingPersonal(store.schema) }
        context.logger.info("hub.log", metadata: ["hub.viewer": "\(admin)", "hub.log.after": "\(after)", "sync.batch.count": "\(page.entries.count)"])
        return try JSONBody.response(page, to: request)
    }

    /// A whole-number query parameter within `range`, or `fallback` when absent (400 otherwise).
    static func number(_ text: String?, name: String, default fallback: Int64, range: ClosedRange<Int64>) throws -> Int64 {
        guard let text, !text.isEmpty else { return fallback }
        guard let value = Int64(text), range.contains(value) else {
            throw HubError(.badRequest, .badRequest, "\(name) is a whole number from \(range.lowerBound) to \(range.upperBound); got \"\(text.prefix(30))\"")
        }
        return value
    }
}
