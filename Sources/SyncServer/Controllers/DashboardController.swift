import Foundation
import Hummingbird
import HTTPTypes
import Logging
import Mustache
import NIOCore
import SyncModel

/// The county dashboard: `/` and `/org/:id` (an org unit's overview), `/login` (a form taking
/// an admin or station token, answered with an HttpOnly, SameSite=Strict session cookie) and
/// `/logout`. `?lang=zh|en` switches the language and is remembered in a cookie. No `/v1`
/// headers are needed here: browsers cannot send them.
struct DashboardController {
    let store: any HubStore
    let access: ReportAccess
    let sessions: DashboardSessions
    let wallClock: WallClock

    /// The reports an overview page shows.
    static let pageReports: [HubReport] = [.members, .orders, .hours, .incidents, .wishes, .transfers, .sync, .balances]

    var routes: RouteCollection<HubRequestContext> {
        let routes = RouteCollection(context: HubRequestContext.self)
        routes.get("/") { request, context in try await overview(request, context: context, org: nil) }
        routes.get("org/:id") { request, context in try await overview(request, context: context, org: context.parameters.get("id")) }
        routes.get("login") { request, _ in page(request, LoginPage(language: language(request)), template: "login") }
        routes.post("login", use: signIn)
        routes.post("logout", use: signOut)
        routes.get("logout", use: signOut)
        return routes
    }

    /// The page language, and whether the request switched it.
    func language(_ request: Request) -> ReportLanguage { ReportsController.language(request) }

    @Sendable func overview(_ request: Request, context: HubRequestContext, org: String?) async throws -> Response {
        let now = wallClock.nowMillis()
        guard let viewer = try await access.sessionViewer(request, context: context) else {
            return redirect(to: "/login", request: request)
        }
        let started = ContinuousClock.now
        let org = try await access.authorize(viewer, org: org)
        let language = language(request)
        let query = ReportQuery(org: org, language: language)
        let tables = try await withThrowingTaskGroup(of: (HubReport, ReportTable).self) { group in
            for report in Self.pageReports {
                var query = query
                if report == .balances { query.limit = 10 }
                group.addTask { [query] in (report, try await store.report(report, query: query)) }
            }
            var tables: [HubReport: ReportTable] = [:]
            for try await (report, table) in group { tables[report] = table }
            return tables
        }
        let units = try await store.orgUnits()
        let names = Dictionary(units.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let unitID = tables[.members]!.org
        let path = units.first { $0.id == unitID }?.path ?? "/\(unitID)/"
        let lineage = path.split(separator: "/").map { (id: String($0), name: names[String($0)] ?? String($0)) }
        let top = viewer.defaultOrg ?? lineage.first?.id ?? unitID
        let model = DashboardPage.build(
            reports: tables, language: language, lineage: lineage, topAllowed: top, generated: ReportBuilder.iso(now))
        let response = page(request, model, template: "overview")
        context.logger.debug(
            "hub.dashboard.render", metadata: ["hub.org": "\(unitID)", "hub.millis": "\((ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000)"])
        return response
    }

    @Sendable func signIn(_ request: Request, context: HubRequestContext) async throws -> Response {
        let body = try await JSONBody.collect(request, limit: 8_192)
        let token = Self.formValue("token", in: String(buffer: body))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let viewer: ReportViewer
        do {
            guard !token.isEmpty else { throw HubError(.unauthorized, .unauthorized, "no token") }
            viewer = try await access.viewer(token: token)
        } catch let error as SyncError where error.code == .unauthorized || error.code == .tokenRevoked {
            return page(request, LoginPage(language: language(request), error: Labels.text("ui.badToken", language(request))), template: "login", status: .unauthorized)
        } catch let error as HubError where error.status == .unauthorized {
            return page(request, LoginPage(language: language(request), error: Labels.text("ui.badToken", language(request))), template: "login", status: .unauthorized)
        }
        let id = sessions.open(viewer, token: token, now: wallClock.nowMillis())
        context.logger.info("hub.dashboard.signin", metadata: ["hub.viewer": "\(viewer.id)"])
        // A same-origin form gets a 303. A sign-in posted from another site (a bookmark page,
        // an automated browser) gets a page that moves on by itself: the SameSite=Strict cookie
        // is not sent on a redirect that another site started, but is on this page's refresh.
        let crossSite = request.headers[.secFetchSite].map { $0 != "same-origin" } ?? false
        var response =
            crossSite
            ? page(request, LoginPage(language: language(request)), template: "continue")
            : redirect(to: "/", request: request)
        response.setCookie(
            Cookie(name: DashboardSessions.cookieName, value: id, maxAge: Int(sessions.lifetimeMillis / 1000), path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func signOut(_ request: Request, context: HubRequestContext) async throws -> Response {
        sessions.close(request.cookies[DashboardSessions.cookieName]?.value)
        var response = redirect(to: "/login", request: request)
        response.setCookie(Cookie(name: DashboardSessions.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    /// A rendered page, with the language cookie set when `?lang=` chose it.
    func page(_ request: Request, _ model: Any, template: String, status: HTTPResponse.Status = .ok) -> Response {
        let html = DashboardTemplates.library.render(model, withTemplate: template) ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        rememberLanguage(request, &response)
        return response
    }

    /// A 303 redirect (keeping a `?lang=` choice in its cookie).
    func redirect(to location: String, request: Request) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        rememberLanguage(request, &response)
        return response
    }

    func rememberLanguage(_ request: Request, _ response: inout Response) {
        guard let lang = request.uri.queryParameters["lang"].flatMap({ ReportLanguage(rawValue: String($0)) }) else { return }
        response.setCookie(
            Cookie(name: DashboardSessions.languageCookie, value: lang.rawValue, maxAge: 365 * 86_400, path: "/", httpOnly: true, sameSite: .strict))
    }

    /// A field of an `application/x-www-form-urlencoded` body.
    static func formValue(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }
}

extension HTTPField.Name {
    /// `Sec-Fetch-Site`: whether a browser request was started by the same origin.
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
