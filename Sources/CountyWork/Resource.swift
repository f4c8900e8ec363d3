public import SyncModel

/// An entry of the resource list (资源清单): a venue, funds, volunteers, expertise or goods
/// a unit offers, matched with demands at a deliberation meeting. The state only moves
/// forward.
public struct Resource: CountyRecord {
    /// What the resource is.
    public enum Category: String, CaseIterable, Hashable, Sendable, Codable {
        /// A room or a site.
        case venue
        /// Money.
        case funding
        /// People's time.
        case volunteers
        /// Professional skills.
        case expertise
        /// Goods and materials.
        case goods
        /// Anything else.
        case other
    }

    /// The states of a resource, in order.
    public enum State: String, ForwardState, Codable {
        /// Offered and waiting for a demand.
        case offered
        /// Matched with a demand or project.
        case matched
        /// Used.
        case used
    }

    /// `resource`.
    public static let recordType = "resource"

    /// The resource's id.
    public var id: String
    /// The org unit the resource is offered in.
    public var orgUnitId: String
    /// The resource in a few words.
    public var title: String
    /// What the resource is.
    public var category: Category
    /// The resource in full.
    public var description: String?
    /// The partner unit offering it, if any.
    public var providerId: String?
    /// The day it was offered.
    public var offeredOn: CalendarDate
    /// How far the resource has got.
    public var state: State

    /// Creates a resource.
    public init(
        id: String, orgUnitId: String, title: String, category: Category, description: String? = nil,
        providerId: String? = nil, offeredOn: CalendarDate, state: State = .offered
    ) {
        self.id = id
        self.orgUnitId = orgUnitId
        self.title = title
        self.category = category
        self.description = description
        self.providerId = providerId
        self.offeredOn = offeredOn
        self.state = state
    }

    /// The resource's org unit.
    public var scope: String { orgUnitId }

    /// Reads a resource from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.title = try r.require(r.string("title"), "title")
        self.category = try r.require(r.enumeration("category"), "category")
        self.description = try r.string("description")
        self.providerId = try r.ref("providerId")
        self.offeredOn = try r.require(r.date("offeredOn"), "offeredOn")
        self.state = try r.require(r.enumeration("state"), "state")
    }

    /// The resource's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("orgUnitId", orgUnitId)
        w.put("title", title)
        w.put("category", category)
        w.put("description", description)
        w.put("providerId", providerId)
        w.put("offeredOn", offeredOn)
        w.put("state", state)
        return w.fields
    }
}
