public import SyncModel

/// What a report is asked for: the org unit whose subtree it covers (the tree's root when
/// `nil`), an optional inclusive date range, and the language of its headers.
public struct ReportQuery: Hashable, Sendable {
    /// The org unit; `nil` for the root of the tree.
    public var org: String?
    /// The first date included, `YYYY-MM-DD`.
    public var from: String?
    /// The last date included, `YYYY-MM-DD`.
    public var to: String?
    /// The language of headers and labels.
    public var language: ReportLanguage
    /// The most rows a list report (balances, transfers, partners, records) returns; all when `nil`.
    public var limit: Int?
    /// The record type of a generic report (``TypeReport``: `counts`, `records`).
    public var type: String?

    /// Creates a query; empty strings count as absent.
    public init(
        org: String? = nil, from: String? = nil, to: String? = nil, language: ReportLanguage = .zh, limit: Int? = nil, type: String? = nil
    ) {
        self.org = org?.isEmpty == true ? nil : org
        self.from = from?.isEmpty == true ? nil : from
        self.to = to?.isEmpty == true ? nil : to
        self.language = language
        self.limit = limit.map { max(0, $0) }
        self.type = type?.isEmpty == true ? nil : type
    }

    /// Checks the dates: each a real `YYYY-MM-DD`, `from` not after `to` (400 `bad_request`).
    public func validate() throws(SyncError) {
        for (name, date) in [("from", from), ("to", to)] {
            if let date, !DateText.isValid(date) {
                throw SyncError(.badRequest, "\(name) takes a date YYYY-MM-DD; \"\(date.prefix(20))\" is not one")
            }
        }
        if let from, let to, from > to {
            throw SyncError(.badRequest, "from (\(from)) is after to (\(to))")
        }
    }
}
