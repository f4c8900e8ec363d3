public import SyncModel

/// An entry of the demand list (需求清单): something residents need, matched with resources
/// at a deliberation meeting. The state only moves forward.
public struct Demand: CountyRecord {
    /// What the demand is about.
    public enum Category: String, CaseIterable, Hashable, Sendable, Codable {
        /// Care for the elderly.
        case elderCare
        /// Care for children.
        case childCare
        /// Jobs and training.
        case employment
        /// The living environment.
        case environment
        /// Health.
        case health
        /// Culture and sport.
        case culture
        /// Safety.
        case safety
        /// Legal matters.
        case legal
        /// Anything else.
        case other
    }

    /// The states of a demand, in order.
    public enum State: String, ForwardState, Codable {
        /// Listed and waiting for a resource.
        case open
        /// Matched with a resource or project.
        case matched
        /// Met.
        case met
    }

    /// `demand`.
    public static let recordType = "demand"

    /// The demand's id.
    public var id: String
    /// The org unit the demand was raised in.
    public var orgUnitId: String
    /// The demand in a few words.
    public var title: String
    /// What the demand is about.
    public var category: Category
    /// The demand in full.
    public var description: String?
    /// Who raised it.
    public var raisedBy: String?
    /// The day it was raised.
    public var raisedOn: CalendarDate
    /// How far the demand has got.
    public var state: State

    /// Creates a demand.
    public init(
        id: String, orgUnitId: String, title: String, category: Category, description: String? = nil,
        raisedBy: String? = nil, raisedOn: CalendarDate, state: State = .open
    ) {
        self.id = id
        self.orgUnitId = orgUnitId
        self.title = title
        self.category = category
        self.description = description
        self.raisedBy = raisedBy
        self.raisedOn = raisedOn
        self.state = state
    }

    /// The demand's org unit.
    public var scope: String { orgUnitId }

    /// Reads a demand from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.title = try r.require(r.string("title"), "title")
        self.category = try r.require(r.enumeration("category"), "category")
        self.description = try r.string("description")
        self.raisedBy = try r.string("raisedBy")
        self.raisedOn = try r.require(r.date("raisedOn"), "raisedOn")
        self.state = try r.require(r.enumeration("state"), "state")
    }

    /// The demand's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("orgUnitId", orgUnitId)
        w.put("title", title)
        w.put("category", category)
        w.put("description", description)
        w.put("raisedBy", raisedBy)
        w.put("raisedOn", raisedOn)
        w.put("state", state)
        return w.fields
    }
}
