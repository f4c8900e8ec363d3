import Foundation
import Hummingbird
import SyncModel

/// Who may read which report: admin tokens read everything, station tokens only their own
/// subtree (403 `forbidden` otherwise), and a dashboard session reads as whoever signed in.
struct ReportAccess: Sendable {
    let store: any HubStore
    let sessions: DashboardSessions
    let wallClock: WallClock

    /// The viewer of an API request: a bearer token (after the protocol and schema header
    /// checks every `/v1` request passes) or, for the dashboard's download links, which a
    /// browser cannot give those headers, a signed-in session cookie.
    func viewer(for request: Request) async throws -> ReportViewer {
        if request.headers[.authorization] == nil,
            let viewer = sessions.viewer(request.cookies[DashboardSessions.cookieName]?.value, now: wallClock.nowMillis())
        {
            return viewer
        }
        try ProtocolMiddleware.checkVersions(request, schema: store.schema)
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer "),
            case let token = authorization.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces), !token.isEmpty
        else {
            throw HubError(.unauthorized, .unauthorized, "send an admin or station token as Authorization: Bearer <token>")
        }
        return try await viewer(token: token)
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
