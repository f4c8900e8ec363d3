public import SyncModel

/// The reports of the county view, by the name used on the command line and in
/// `GET /v1/reports/NAME`.
public enum HubReport: String, CaseIterable, Sendable, Codable {
    /// Members by org unit and category, rolled up the whole subtree.
    case members
    /// Service orders by state and category for the unit and each sub-unit, with the median
    /// days from ordered to done and the average rating (dates: `orderedOn`).
    case orders
    /// Time-bank hours per unit (the unit and each sub-unit) per month (dates: `date`).
    case hours
    /// Time-bank hours per volunteer team per month (dates: `date`).
    case teamHours = "team-hours"
    /// Time-bank balance of every member of the subtree (dates: `date` of the entries).
    case balances
    /// Activities and attendance per unit per month, unified activity days apart (dates: `date`).
    case activities
    /// Micro-wishes posted, claimed and fulfilled per unit (dates: `postedOn`).
    case wishes
    /// Grid incidents open and resolved per unit, with the age of the oldest open one
    /// (dates: `reportedOn`).
    case incidents
    /// Registration transfers not yet received, touching the subtree (dates: `requestedOn`).
    case transfers
    /// Partner units of the subtree with their latest two-way rating.
    case partners
    /// Per station of the subtree: last contact, acknowledged seq, refusals, open conflicts and
    /// whether it is behind (no contact for more than a day).
    case sync

    /// The title in `language`.
    public func title(_ language: ReportLanguage) -> String { Labels.text("report.\(rawValue)", language) }

    /// The record types the report reads: it is offered only on a hub whose schema has them all
    /// (a hub on another schema still serves sync, the generic reports and the dashboard).
    public var recordTypes: [String] {
        switch self {
        case .members: ["member"]
        case .orders: ["serviceOrder"]
        case .hours: ["volunteerHours"]
        case .teamHours: ["volunteerHours", "volunteerTeam"]
        case .balances: ["member", "volunteerHours"]
        case .activities: ["activity"]
        case .wishes: ["microWish"]
        case .incidents: ["gridIncident"]
        case .transfers: ["transfer", "member"]
        case .partners: ["partnerUnit"]
        case .sync: []
        }
    }

    /// Whether the hub's `schema` has every type the report reads.
    public func isAvailable(in schema: Schema) -> Bool {
        recordTypes.allSatisfy { schema.types[$0] != nil }
    }

    /// The reports a hub on `schema` offers.
    public static func available(in schema: Schema) -> [HubReport] {
        allCases.filter { $0.isAvailable(in: schema) }
    }

    /// Throws 404 `not_found` when the hub's `schema` lacks a type the report reads.
    public func checkAvailable(in schema: Schema) throws(SyncError) {
        let missing = recordTypes.filter { schema.types[$0] == nil }
        guard !missing.isEmpty else { return }
        throw SyncError(
            .notFound,
            "the \(rawValue) report reads record type\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")), which the hub's schema \(schema.name)/\(schema.version) does not have; the counts and records reports work for every type")
    }

    /// Whether `--from`/`--to` filter this report.
    public var usesDates: Bool {
        switch self {
        case .members, .partners, .sync: false
        default: true
        }
    }
}
