import Foundation
import Hummingbird
import Logging
import SyncModel

/// Who may read which report: admin tokens read everything, station tokens only their own
/// subtree (403 `forbidden` otherwise), and a dashboard session reads as whoever signed in.
struct ReportAccess: Sendable {
    let store: any HubStore
    let sessions: DashboardSessions
    let wallClock: WallClock
    let limits: HubLimits

    /// The viewer of an API request: a bearer token (after the protocol and schema header
    /// checks every `/v1` request passes) or, for the dashboard's download links, which a
    /// browser cannot give those headers, a signed-in session cookie. Either is spent from
    /// its rate limit (429).
    func viewer(for request: Request, context: HubRequestContext) async throws -> ReportViewer {
        if request.headers[.authorization] == nil, let viewer = try await sessionViewer(request, context: context) {
            return viewer
        }
        try ProtocolMiddleware.checkVersions(request, schema: store.schema)
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer "),
            case let token = authorization.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces), !token.isEmpty
        else {
            throw HubError(.unauthorized, .unauthorized, "send an admin or station token as Authorization: Bearer <token>")
        }
        let viewer = try await viewer(token: token)
        let kind = if case .admin = viewer { "admin" } else { "station" }
        try limits.admit("\(kind):\(viewer.id)", who: "\(kind) \(viewer.id)", context: context)
        return viewer
    }

    /// The viewer of a live dashboard session, whose token is checked again on every request
    /// (a session of a revoked token ends at once); `nil` without a live session.
    func sessionViewer(_ request: Request, context: HubRequestContext) async throws -> ReportViewer? {
        guard let id = request.cookies[DashboardSessions.cookieName]?.value,
            let session = sessions.session(id, now: wallClock.nowMillis())
        else { return nil }
        let viewer: ReportViewer
        do {
            viewer = try await self.viewer(token: session.token)
        } catch let error as SyncError where error.code == .unauthorized || error.code == .tokenRevoked {
            sessions.close(id)
            context.logger.notice("hub.session.closed", metadata: ["hub.code": "\(error.code)", "hub.viewer": "\(session.viewer.id)"])
            return nil
        }
        try limits.admit("session:\(id)", who: "the dashboard session of \(viewer.id)", context: context)
        return viewer
    }

    /// The viewer holding `token`: an admin, else a station (401 for neither).
    func viewer(token: String) async throws -> ReportViewer {
        if let admin = try await store.authenticateAdmin(token: token) { return .admin(id: admin.id) }
        return .station(try await store.authenticate(token: token))
    }

    /// The org unit `viewer` asks about (its default when `org` is `nil`), checked against
    /// what the viewer may read.
    func authorize(_ viewer: ReportViewer, org: String?) async throws -> String? {
        guard case .station(let station) = viewer else { return org }
        let org = org ?? station.org
        guard try await store.scope(of: station.org).subtree.contains(org) else {
            throw HubError(.forbidden, .forbidden, "station \(station.id) may read reports on its own unit \(station.org) and below, not \(org.prefix(60))")
        }
        return org
    }
}
