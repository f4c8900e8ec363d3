import Foundation
import Hummingbird
import HTTPTypes
import Logging
import Mustache
import NIOCore
import SyncModel

/// The county dashboard: `/` and `/org/:id` (an org unit's overview), `/login` (a form taking
/// an admin or station token, answered with an HttpOnly, SameSite=Strict session cookie kept
/// in the hub's store; sign-ins posted by another site are refused) and `/logout`. `?lang=zh|en` switches the language and is remembered in a cookie. No `/v1`
/// headers are needed here: browsers cannot send them.
struct DashboardController {
    let store: any HubStore
    let access: ReportAccess
    let sessions: DashboardSessions
    let wallClock: WallClock

    /// The reports an overview page shows, when the hub's schema has their types.
    static let pageReports: [HubReport] = CountyPanel.reports + [.sync, .balances]

    var routes: RouteCollection<HubRequestContext> {
        let routes = RouteCollection(context: HubRequestContext.self)
        routes.get("/") { request, context in try await overview(request, context: context, org: nil) }
        routes.get("org/:id") { request, context in try await overview(request, context: context, org: context.parameters.get("id")) }
        routes.get("login") { request, _ in
            let next = request.uri.queryParameters["next"].map(String.init).flatMap(ReportAccess.localPath)
            return page(request, LoginPage(language: language(request), next: next), template: "login")
        }
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
            return redirect(to: ReportAccess.signInLocation(next: request.uri.description), request: request)
        }
        let started = ContinuousClock.now
        let org = try await access.authorize(viewer, org: org)
        let language = language(request)
        let schema = try await store.currentSchema()
        let available = HubReport.available(in: schema)
        let units = try await store.orgUnits()
        let query = ReportQuery(org: org, language: language)
        let tables = try await withThrowingTaskGroup(of: (HubReport, ReportTable).self) { group in
            for report in Self.pageReports where available.contains(report) {
                var query = query
                if report == .balances { query.limit = 10 }
                group.addTask { [query] in (report, try await store.report(report, query: query)) }
            }
            var tables: [HubReport: ReportTable] = [:]
            for try await (report, table) in group { tables[report] = table }
            return tables
        }
        let unitID = tables[.sync]?.org ?? org ?? units.first { $0.parentId == nil }?.id ?? ""
        let names = Dictionary(units.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let unit = units.first { $0.id == unitID }
        let path = unit?.path ?? "/\(unitID)/"
        let lineage = path.split(separator: "/").map { (id: String($0), name: names[String($0)] ?? String($0)) }
        let top = viewer.defaultOrg ?? lineage.first?.id ?? unitID
        let records = try await recordsPanel(request, viewer: viewer, unit: unitID, schema: schema, language: language)
        let model = DashboardPage.build(
            reports: tables, available: available, records: records, language: language, lineage: lineage,
            unitKind: unit.map { Labels.text($0.kind, language) } ?? "", topAllowed: top, generated: ReportBuilder.iso(now))
        let response = page(request, model, template: "overview")
        context.logger.debug(
            "hub.dashboard.render", metadata: ["hub.org": "\(unitID)", "hub.millis": "\((ContinuousClock.now - started).milliseconds)"])
        return response
    }

    /// The page's view of any record type: the `type` the picker chose (none at first), its
    /// counts per sub-unit and its first records, read as the viewer may read them.
    func recordsPanel(
        _ request: Request, viewer: ReportViewer, unit: String, schema: Schema, language: ReportLanguage
    ) async throws -> RecordsPanel {
        let types = schema.types.keys.sorted()
        let action = unit.isEmpty ? "/" : "/org/\(DashboardPage.query(unit))"
        guard let type = request.uri.queryParameters["type"].map(String.init), schema.types[type] != nil, !unit.isEmpty else {
            return RecordsPanel.build(action: action, unit: unit, types: types, chosen: nil, counts: nil, records: nil, language: language)
        }
        let query = ReportQuery(org: unit, language: language, type: type)
        let counts = try await store.typeReport(.counts, query: query, personal: .all)
        var first = query
        first.limit = RecordsPanel.shownRows
        let records = try await store.typeReport(.records, query: first, personal: try await access.personalAccess(viewer))
        return RecordsPanel.build(action: action, unit: unit, types: types, chosen: type, counts: counts, records: records, language: language)
    }

    @Sendable func signIn(_ request: Request, context: HubRequestContext) async throws -> Response {
        let language = language(request)
        let body = String(buffer: try await JSONBody.collect(request, limit: 8_192))
        let next = Self.formValue("next", in: body).flatMap(ReportAccess.localPath) ?? "/"
        // Login CSRF: a page of another site must not sign a browser in (with its own token).
        guard !Self.isCrossSite(request) else {
            context.logger.notice("hub.request.refused", metadata: ["hub.code": "forbidden", "hub.path": "/login", "hub.reason": "cross-site"])
            return page(request, LoginPage(language: language, error: Labels.text("ui.crossSite", language)), template: "login", status: .forbidden)
        }
        let token = Self.formValue("token", in: body)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let viewer: ReportViewer
        do {
            guard !token.isEmpty else { throw HubError(.unauthorized, .unauthorized, "no token") }
            viewer = try await access.viewer(token: token)
        } catch let error as SyncError where error.code == .unauthorized || error.code == .tokenRevoked {
            return page(request, LoginPage(language: language, error: Labels.text("ui.badToken", language), next: next), template: "login", status: .unauthorized)
        } catch let error as HubError where error.status == .unauthorized {
            return page(request, LoginPage(language: language, error: Labels.text("ui.badToken", language), next: next), template: "login", status: .unauthorized)
        }
        // A sign-in is a request of the token's: it counts against its rate limit (429).
        try access.admit(viewer, context: context)
        let id = try await sessions.open(token: token)
        context.logger.info("hub.dashboard.signin", metadata: ["hub.viewer": "\(viewer.id)"])
        var response = redirect(to: next, request: request)
        response.setCookie(
            Cookie(name: DashboardSessions.cookieName, value: id, maxAge: Int(sessions.lifetimeMillis / 1000), path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func signOut(_ request: Request, context: HubRequestContext) async throws -> Response {
        try await sessions.close(request.cookies[DashboardSessions.cookieName]?.value)
        var response = redirect(to: "/login", request: request)
        response.setCookie(Cookie(name: DashboardSessions.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    /// Whether a sign-in was posted by a page of another site: its `Origin` (else its
    /// `Referer`) names another host than the one the request was sent to, or the browser
    /// says so in `Sec-Fetch-Site`. A request with none of them (curl, a script) is not a
    /// browser's and cannot be forged by another site.
    static func isCrossSite(_ request: Request) -> Bool {
        if let site = request.headers[.secFetchSite], !["same-origin", "none"].contains(site) { return true }
        guard let source = request.headers[.origin] ?? request.headers[.referer] else { return false }
        guard let sourceHost = URLComponents(string: source)?.host?.lowercased(), !sourceHost.isEmpty,
            let authority = request.headers[HTTPField.Name("Host")!] ?? request.head.authority,
            let host = URLComponents(string: "http://" + authority)?.host?.lowercased()
        else { return true }
        return sourceHost != host
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
