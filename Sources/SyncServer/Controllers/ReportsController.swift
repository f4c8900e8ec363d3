import Foundation
import Hummingbird
import Logging
import SyncModel

/// `GET /v1/reports` (the report names) and `GET /v1/reports/NAME?org=&from=&to=&type=&format=json|csv&lang=zh|en&bom=1`:
/// the county reports the hub's schema has the types for, and the generic `counts` and
/// `records` reports of any type (``TypeReport``).
struct ReportsController {
    let store: any HubStore
    let access: ReportAccess

    /// The routes (outside the station-only ``ProtocolMiddleware`` group: ``ReportAccess``
    /// accepts admin tokens too, and requests without the sync headers). A browser without a
    /// live session is sent to the sign-in form (303), not answered with a JSON error.
    var routes: RouteCollection<HubRequestContext> {
        let routes = RouteCollection(context: HubRequestContext.self)
        routes.get("v1/reports", use: list)
        routes.get("v1/reports/:name", use: report)
        return routes
    }

    /// One entry of the report list.
    struct Entry: Encodable {
        var name: String
        var title: String
        var usesDates: Bool
        /// Whether the report takes `type=TYPE` (the generic reports of every record type).
        var takesType: Bool
    }

    /// The report list: the county reports the hub's schema has the types for, the generic
    /// reports, and the record types these take.
    struct Listing: Encodable {
        var reports: [Entry]
        var types: [String]
    }

    @Sendable func list(_ request: Request, context: HubRequestContext) async throws -> Response {
        guard try await access.viewer(for: request, context: context) != nil else { return ReportAccess.signInRedirect(request) }
        let language = Self.language(request)
        let schema = try await store.currentSchema()
        let county = HubReport.available(in: schema).map {
            Entry(name: $0.rawValue, title: $0.title(language), usesDates: $0.usesDates, takesType: false)
        }
        let generic = TypeReport.allCases.map {
            Entry(name: $0.rawValue, title: Labels.text("report.\($0.rawValue)", language), usesDates: false, takesType: true)
        }
        return try JSONBody.response(Listing(reports: county + generic, types: schema.types.keys.sorted()), to: request)
    }

    @Sendable func report(_ request: Request, context: HubRequestContext) async throws -> Response {
        guard let viewer = try await access.viewer(for: request, context: context) else { return ReportAccess.signInRedirect(request) }
        let name = context.parameters.get("name") ?? ""
        let schema = try await store.currentSchema()
        let county = HubReport(rawValue: name)
        let generic = TypeReport(rawValue: name)
        guard county != nil || generic != nil else {
            let names = (HubReport.available(in: schema).map(\.rawValue) + TypeReport.allCases.map(\.rawValue)).joined(separator: ", ")
            throw HubError(.notFound, .notFound, "there is no report \"\(name.prefix(40))\"; reports: \(names)")
        }
        let parameters = request.uri.queryParameters
        var limit: Int?
        if let text = parameters["limit"] {
            guard let number = Int(String(text)), number >= 1 else {
                throw HubError(.badRequest, .badRequest, "limit is a whole number of 1 or more; got \"\(text.prefix(30))\"")
            }
            limit = number
        }
        let org = try await access.authorize(viewer, org: parameters["org"].map(String.init).flatMap { $0.isEmpty ? nil : $0 })
        let query = ReportQuery(
            org: org, from: parameters["from"].map(String.init), to: parameters["to"].map(String.init), language: Self.language(request),
            limit: limit, type: parameters["type"].map(String.init))
        let table: ReportTable
        if let county {
            try county.checkAvailable(in: schema)
            table = try await store.report(county, query: query)
        } else {
            table = try await store.typeReport(generic!, query: query, personal: try await access.personalAccess(viewer))
        }
        let fileName = county?.rawValue ?? "\(name)-\(query.type ?? "")"
        context.logger.info("hub.report", metadata: ["hub.report": "\(name)", "hub.viewer": "\(viewer.id)"])
        switch parameters["format"].map(String.init) ?? "json" {
        case "json":
            return try JSONBody.response(table, to: request)
        case "csv":
            let bom = ["1", "true", "yes"].contains(parameters["bom"].map(String.init) ?? "")
            var response = JSONBody.bytes(table.csv(bom: bom), contentType: "text/csv; charset=utf-8", to: request)
            response.headers[.contentDisposition] = "attachment; filename=\"\(fileName)-\(table.org).csv\""
            return response
        case let other:
            throw HubError(.badRequest, .badRequest, "format is json or csv, not \"\(other.prefix(20))\"")
        }
    }

    /// `lang=zh|en`, else the `tributary_lang` cookie, else `Accept-Language`.
    static func language(_ request: Request) -> ReportLanguage {
        if let lang = request.uri.queryParameters["lang"].flatMap({ ReportLanguage(rawValue: String($0)) }) { return lang }
        if let lang = request.cookies[DashboardSessions.languageCookie].flatMap({ ReportLanguage(rawValue: $0.value) }) { return lang }
        return ReportLanguage.preferred(acceptLanguage: request.headers[.acceptLanguage])
    }
}
