import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import SyncModel
import SyncServer
import Testing

/// The dashboard: sign-in with a session cookie, the overview and drill-down pages, escaping
/// of user text (HTML and SVG), the language switch and the CSV links.
@Suite struct DashboardTests {
    let fixture: HubFixture
    let adminToken: String

    init() async throws {
        fixture = try await HubFixture()
        try ReportsSeed().write(to: fixture.sqlite.replica)
        adminToken = try await fixture.store.addAdminToken(name: "admin").token
    }

    /// Signs in with `token` and returns the session cookie (`name=value`).
    func signIn(_ client: some TestClientProtocol, token: String) async throws -> String {
        let form = Data("token=\(token)".utf8)
        let (status, _, headers) = try await client.call(
            .post, "/login", headers: [.contentType: "application/x-www-form-urlencoded"], body: form)
        #expect(status == .seeOther)
        #expect(headers[.location] == "/")
        let cookie = try #require(headers[values: .setCookie].first { $0.hasPrefix("tributary_session=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        return String(cookie.prefix { $0 != ";" })
    }

    func get(_ client: some TestClientProtocol, _ uri: String, cookie: String?, language: String? = nil) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        var headers = HTTPFields()
        if let cookie { headers[.cookie] = cookie }
        if let language { headers[.acceptLanguage] = language }
        let (status, body, responseHeaders) = try await client.call(.get, uri, headers: headers)
        return (status, String(decoding: body, as: UTF8.self), responseHeaders)
    }

    @Test func signInShowsTheCountyAndDrillsDown() async throws {
        try await fixture.application().test(.router) { client in
            // Given no session, the dashboard sends to the sign-in form
            let (status, _, headers) = try await get(client, "/", cookie: nil)
            #expect(status == .seeOther && headers[.location] == "/login")
            let (formStatus, form, _) = try await get(client, "/login", cookie: nil)
            #expect(formStatus == .ok && form.contains("name=\"token\""))
            // A wrong token is refused on the form
            let (bad, badPage, _) = try await client.call(.post, "/login", headers: [.contentType: "application/x-www-form-urlencoded"], body: Data("token=nope".utf8))
            #expect(bad == .unauthorized && String(decoding: badPage, as: UTF8.self).contains("令牌无效"))
            // When the admin signs in
            let cookie = try await signIn(client, token: adminToken)
            let (ok, page, pageHeaders) = try await get(client, "/", cookie: cookie)
            // Then the county overview shows figures, sub-units with links, both charts, sync health and CSV links
            #expect(ok == .ok)
            #expect(pageHeaders[.contentType] == "text/html; charset=utf-8")
            #expect(pageHeaders[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(page.contains("<html lang=\"zh-Hans\">") && page.contains("永春县"))
            #expect(page.contains("href=\"/org/yc-t01\"") && page.contains("href=\"/org/yc-t02\""))
            #expect(page.contains("id=\"orders-chart\"") && page.contains("<rect") && page.contains("<polyline"))
            #expect(page.contains("id=\"sync\"") && page.contains("status-never"))
            #expect(page.contains("href=\"/v1/reports/members?org=yc&amp;format=csv&amp;lang=zh&amp;bom=1\""))
            #expect(page.contains("三单制服务订单") && page.contains("时间银行"))
            // And the drill-down goes to a township, then a community
            let (_, township, _) = try await get(client, "/org/yc-t01", cookie: cookie)
            #expect(township.contains("桃城镇") && township.contains("href=\"/org/yc-t01-c01\"") && township.contains("href=\"/org/yc\""))
            let (_, community, _) = try await get(client, "/org/yc-t01-c01", cookie: cookie)
            #expect(community.contains("留安社区") && community.contains("href=\"/org/yc-t01\""))
            // And the CSV links work with the session cookie alone (a browser sends no /v1 headers)
            let (csvStatus, csv, _) = try await get(client, "/v1/reports/members?org=yc&format=csv&lang=zh&bom=1", cookie: cookie)
            #expect(csvStatus == .ok && csv.hasPrefix("\u{FEFF}组织编号,"))
            // And after signing out the session is gone
            let (out, _, outHeaders) = try await client.call(.post, "/logout", headers: [.cookie: cookie])
            #expect(out == .seeOther && outHeaders[values: .setCookie].contains { $0.hasPrefix("tributary_session=;") })
            let (after, _, _) = try await get(client, "/", cookie: cookie)
            #expect(after == .seeOther)
            // And a sign-in posted from another site is refused (login CSRF; DashboardSessionTests)
            let (crossSite, _, crossHeaders) = try await client.call(
                .post, "/login", headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"],
                body: Data("token=\(adminToken)".utf8))
            #expect(crossSite == .forbidden)
            #expect(!crossHeaders[values: .setCookie].contains { $0.hasPrefix("tributary_session=") })
        }
    }

    @Test func userTextIsEscapedInHTMLAndSVG() async throws {
        // Given a member named <script>alert(1)</script> (seeded in yc-t01-c02, top of the time
        // bank), a township and a station with markup in their names
        _ = try await fixture.store.importOrgUnits([HubOrgUnit(id: "yc-t03", name: "<svg onload=alert(2)>镇", kind: "township", parentId: "yc")])
        _ = try await fixture.store.addStation(name: "<img src=x onerror=alert(3)>", org: "yc-t03")
        try await fixture.application().test(.router) { client in
            let cookie = try await signIn(client, token: adminToken)
            // When pages and the balances CSV are rendered
            var pages: [String] = []
            for uri in ["/", "/org/yc-t01", "/org/yc-t01-c02"] {
                pages.append(try await get(client, uri, cookie: cookie).1)
            }
            // Then every page shows them as text, escaped, in HTML and in the SVG titles
            for page in pages {
                #expect(!page.contains("<script>") && !page.contains("<svg onload") && !page.contains("<img"))
            }
            #expect(pages[0].contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(pages[0].contains("&lt;img src=x onerror=alert(3)&gt;"))
            #expect(pages[0].contains("&lt;svg onload=alert(2)&gt;镇"))
            let (_, township, _) = try await get(client, "/org/yc-t03", cookie: cookie)
            #expect(township.contains("<title>服务订单状态分布 · &lt;svg onload=alert(2)&gt;镇</title>"))
            // And the CSV keeps the name as text (CSV is not HTML)
            let (_, csv, _) = try await get(client, "/v1/reports/balances?format=csv", cookie: cookie)
            #expect(csv.contains("<script>alert(1)</script>"))
        }
    }

    @Test func languageFollowsAcceptLanguageAndTheSwitch() async throws {
        try await fixture.application().test(.router) { client in
            let cookie = try await signIn(client, token: adminToken)
            // Accept-Language: en → English
            let (_, english, _) = try await get(client, "/", cookie: cookie, language: "en-GB,en;q=0.9")
            #expect(english.contains("<html lang=\"en\">") && english.contains("Service orders by state") && english.contains("?lang=zh"))
            // The switch link sets a cookie that is then remembered
            let (_, chinese, headers) = try await get(client, "/?lang=zh", cookie: cookie, language: "en")
            #expect(chinese.contains("服务订单状态分布"))
            let langCookie = try #require(headers[values: .setCookie].first { $0.hasPrefix("tributary_lang=zh") })
            let (_, remembered, _) = try await get(client, "/", cookie: cookie + "; " + String(langCookie.prefix { $0 != ";" }), language: "en")
            #expect(remembered.contains("<html lang=\"zh-Hans\">"))
        }
    }

    @Test func stationSessionsStayInTheirSubtree() async throws {
        try await fixture.application().test(.router) { client in
            // A station token signs in to its own unit
            let cookie = try await signIn(client, token: fixture.tokens["t1"]!)
            let (ok, page, _) = try await get(client, "/", cookie: cookie)
            #expect(ok == .ok && page.contains("桃城镇") && !page.contains("href=\"/org/yc\""))
            // And may not open the county or a sibling township
            let (county, _, _) = try await get(client, "/org/yc", cookie: cookie)
            let (sibling, _, _) = try await get(client, "/org/yc-t02", cookie: cookie)
            #expect(county == .forbidden && sibling == .forbidden)
        }
    }
}
