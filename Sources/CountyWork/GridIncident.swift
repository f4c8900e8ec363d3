public import SyncModel

/// Something found on a grid patrol (网格事件): a security matter, sanitation, a resident's
/// complaint. Its scope is the grid; the state only moves forward.
public struct GridIncident: CountyRecord {
    /// What the incident is about.
    public enum Category: String, CaseIterable, Hashable, Sendable, Codable {
        /// Public security.
        case security
        /// Sanitation and refuse.
        case sanitation
        /// A resident's complaint.
        case complaint
        /// A broken public facility.
        case facility
        /// A dispute between residents.
        case dispute
        /// Anything else.
        case other
    }

    /// The states of an incident, in order.
    public enum State: String, ForwardState, Codable {
        /// Reported from the patrol.
        case reported
        /// Being handled.
        case handling
        /// Resolved.
        case resolved
    }

    /// `gridIncident`.
    public static let recordType = "gridIncident"

    /// The incident's id.
    public var id: String
    /// The grid (an org unit) where it was found.
    public var gridId: String
    /// The grid worker who reported it.
    public var reportedBy: String
    /// What the incident is about.
    public var category: Category
    /// What was found.
    public var description: String?
    /// Where exactly, within the grid.
    public var place: String?
    /// How far the incident has got.
    public var state: State
    /// The day it was reported.
    public var reportedOn: CalendarDate
    /// The day it was resolved.
    public var resolvedOn: CalendarDate?

    /// Creates a grid incident.
    public init(
        id: String, gridId: String, reportedBy: String, category: Category, description: String? = nil,
        place: String? = nil, state: State = .reported, reportedOn: CalendarDate, resolvedOn: CalendarDate? = nil
    ) {
        self.id = id
        self.gridId = gridId
        self.reportedBy = reportedBy
        self.category = category
        self.description = description
        self.place = place
        self.state = state
        self.reportedOn = reportedOn
        self.resolvedOn = resolvedOn
    }

    /// The incident's grid.
    public var scope: String { gridId }

    /// Reads an incident from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.gridId = try r.require(r.ref("gridId"), "gridId")
        self.reportedBy = try r.require(r.string("reportedBy"), "reportedBy")
        self.category = try r.require(r.enumeration("category"), "category")
        self.description = try r.string("description")
        self.place = try r.string("place")
        self.state = try r.require(r.enumeration("state"), "state")
        self.reportedOn = try r.require(r.date("reportedOn"), "reportedOn")
        self.resolvedOn = try r.date("resolvedOn")
    }

    /// The incident's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("gridId", gridId)
        w.put("reportedBy", reportedBy)
        w.put("category", category)
        w.put("description", description)
        w.put("place", place)
        w.put("state", state)
        w.put("reportedOn", reportedOn)
        w.put("resolvedOn", resolvedOn)
        return w.fields
    }
}
