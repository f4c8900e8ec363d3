import Foundation
import Hummingbird
import HTTPTypes
import Logging
import SyncModel

/// Who may read which report: admin tokens read everything, station tokens only their own
/// subtree (403 `forbidden` otherwise), and a dashboard session reads as whoever signed in.
struct ReportAccess: Sendable {
    let store: any HubStore
    let sessions: DashboardSessions
    let wallClock: WallClock
    let limits: HubLimits

    /// The viewer of an API request: a bearer token or, for the dashboard's download links, a
    /// signed-in session cookie. Either is spent from its rate limit (429). `nil` when a
    /// browser must sign in first: a request without a token that carries a session cookie
    /// (expired, unknown, revoked) or asks for HTML.
    ///
    /// Reports are not sync: the `Tributary-Protocol` and `Tributary-Schema` headers may be
    /// left out (scripts, `curl`); when sent, they are checked as on every `/v1` route.
    func viewer(for request: Request, context: HubRequestContext) async throws -> ReportViewer? {
        if request.headers[.authorization] == nil {
            if let viewer = try await sessionViewer(request, context: context) { return viewer }
            let browser = request.cookies[DashboardSessions.cookieName] != nil || (request.headers[.accept]?.contains("text/html") ?? false)
            if browser { return nil }
        }
        if request.headers[HTTPFields.versionName] != nil || request.headers[HTTPFields.schemaName] != nil {
            try ProtocolMiddleware.checkVersions(request, schema: store.schema)
        }
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer "),
            case let token = authorization.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces), !token.isEmpty
        else {
            throw HubError(.unauthorized, .unauthorized, "send an admin or station token as Authorization: Bearer <token>")
        }
        let viewer = try await viewer(token: token)
        try admit(viewer, context: context)
        return viewer
    }

    /// Spends one request of `viewer`'s token from its rate limit (429 past it).
    func admit(_ viewer: ReportViewer, context: HubRequestContext) throws {
        let kind = if case .admin = viewer { "admin" } else { "station" }
        try limits.admit("\(kind):\(viewer.id)", who: "\(kind) \(viewer.id)", context: context)
    }

    /// The viewer of a live dashboard session, whose token is checked again on every request
    /// (a session of a revoked token ends at once); `nil` without a live session.
    func sessionViewer(_ request: Request, context: HubRequestContext) async throws -> ReportViewer? {
        guard let id = request.cookies[DashboardSessions.cookieName]?.value else { return nil }
        let viewer: ReportViewer
        do {
            guard let found = try await sessions.viewer(id) else { return nil }
            viewer = found
        } catch let error as SyncError where error.code == .unauthorized || error.code == .tokenRevoked {
            try? await sessions.close(id)
            context.logger.notice("hub.session.closed", metadata: ["hub.code": "\(error.code)"])
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

    /// Which personal fields `viewer` may read in a generic report: all for an admin, those of
    /// the records it owns for a station (the scope rule, SPEC §10).
    func personalAccess(_ viewer: ReportViewer) async throws -> PersonalAccess {
        guard case .station(let station) = viewer else { return .all }
        return .owner(try await store.scope(of: station.org))
    }

    /// The 303 to the sign-in form that brings the browser back to `request`'s page after it.
    static func signInRedirect(_ request: Request) -> Response {
        Response(status: .seeOther, headers: [.location: signInLocation(next: request.uri.description)])
    }

    /// `/login`, with `?next=` (percent-encoded) unless the page is `/`.
    static func signInLocation(next: String) -> String {
        guard next != "/", let local = localPath(next) else { return "/login" }
        // Unreserved characters stay; everything else (/ ? & = % …) is percent-encoded.
        var unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        unreserved.insert(charactersIn: "-._~")
        return "/login?next=" + (local.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "/")
    }

    /// `path` when it is a path on this hub (`/…`, not `//host…` nor a URL with a scheme),
    /// so that `next` can never send a browser to another site.
    static func localPath(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.hasPrefix("/\\"), path.count <= 2_000,
            !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" })
        else { return nil }
        return path
    }
}
