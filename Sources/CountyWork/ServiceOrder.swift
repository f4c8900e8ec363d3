public import SyncModel

/// A resident's order in the three-list flow (三单制): a resident orders, the organisation
/// dispatches it to a volunteer team, the team accepts and does it, the resident reviews it.
///
/// The state is a forward-only lattice: the furthest state wins, whoever wrote last.
public struct ServiceOrder: CountyRecord {
    /// What a resident orders.
    public enum Category: String, CaseIterable, Hashable, Sendable, Codable {
        /// Legal advice.
        case legalAdvice
        /// Repairing a household appliance.
        case applianceRepair
        /// Paying a utility bill.
        case billPayment
        /// Picking up a parcel.
        case parcelPickup
        /// Care for an elderly resident.
        case elderCare
        /// Anything else.
        case other
    }

    /// The states of an order, in order.
    public enum State: String, ForwardState, Codable {
        /// A resident ordered (群众点单).
        case ordered
        /// The organisation dispatched it to a team (组织派单).
        case dispatched
        /// A team accepted it (队伍接单).
        case accepted
        /// The service was done.
        case done
        /// The resident reviewed it (评单).
        case reviewed
    }

    /// `serviceOrder`.
    public static let recordType = "serviceOrder"
    /// `requesterPhone`.
    public static var personalFields: Set<String> { ["requesterPhone"] }

    /// The order's id.
    public var id: String
    /// The org unit the order was placed with.
    public var orgUnitId: String
    /// The resident who ordered.
    public var requester: String
    /// The resident's phone number (personal).
    public var requesterPhone: String?
    /// What was ordered.
    public var category: Category
    /// What the resident asks for, in their words.
    public var description: String?
    /// The volunteer team the order was dispatched to.
    public var teamId: String?
    /// How far the order has got.
    public var state: State
    /// The day the order was placed.
    public var orderedOn: CalendarDate
    /// The day the service was done.
    public var doneOn: CalendarDate?
    /// The resident's rating of the service (1 to 5).
    public var rating: Int?

    /// Creates a service order.
    public init(
        id: String, orgUnitId: String, requester: String, requesterPhone: String? = nil, category: Category,
        description: String? = nil, teamId: String? = nil, state: State = .ordered, orderedOn: CalendarDate,
        doneOn: CalendarDate? = nil, rating: Int? = nil
    ) {
        self.id = id
        self.orgUnitId = orgUnitId
        self.requester = requester
        self.requesterPhone = requesterPhone
        self.category = category
        self.description = description
        self.teamId = teamId
        self.state = state
        self.orderedOn = orderedOn
        self.doneOn = doneOn
        self.rating = rating
    }

    /// The order's org unit.
    public var scope: String { orgUnitId }

    /// Reads a service order from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.requester = try r.require(r.string("requester"), "requester")
        self.requesterPhone = try r.string("requesterPhone")
        self.category = try r.require(r.enumeration("category"), "category")
        self.description = try r.string("description")
        self.teamId = try r.ref("teamId")
        self.state = try r.require(r.enumeration("state"), "state")
        self.orderedOn = try r.require(r.date("orderedOn"), "orderedOn")
        self.doneOn = try r.date("doneOn")
        self.rating = try r.int("rating")
    }

    /// The order's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("orgUnitId", orgUnitId)
        w.put("requester", requester)
        w.put("requesterPhone", requesterPhone)
        w.put("category", category)
        w.put("description", description)
        w.put("teamId", teamId)
        w.put("state", state)
        w.put("orderedOn", orderedOn)
        w.put("doneOn", doneOn)
        w.put("rating", rating)
        return w.fields
    }
}
