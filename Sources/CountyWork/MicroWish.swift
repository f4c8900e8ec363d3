public import SyncModel

/// A small wish of a resident in need, claimed and fulfilled by a member (微心愿).
///
/// The state only moves forward. `claimedBy` is last-writer-wins, so two members claiming
/// the same wish at once is a conflict to surface, not a silent choice.
public struct MicroWish: CountyRecord {
    /// The states of a wish, in order.
    public enum State: String, ForwardState, Codable {
        /// The wish is posted and open.
        case posted
        /// A member claimed it.
        case claimed
        /// The wish was fulfilled.
        case fulfilled
    }

    /// `microWish`.
    public static let recordType = "microWish"
    /// `beneficiaryPhone`.
    public static var personalFields: Set<String> { ["beneficiaryPhone"] }

    /// The wish's id.
    public var id: String
    /// The org unit the wish was posted in.
    public var orgUnitId: String
    /// The resident the wish is for.
    public var beneficiary: String
    /// The resident's phone number (personal).
    public var beneficiaryPhone: String?
    /// The wish.
    public var wish: String
    /// The member who claimed it.
    public var claimedBy: String?
    /// How far the wish has got.
    public var state: State
    /// The day the wish was posted.
    public var postedOn: CalendarDate
    /// The day the wish was fulfilled.
    public var fulfilledOn: CalendarDate?

    /// Creates a wish.
    public init(
        id: String, orgUnitId: String, beneficiary: String, beneficiaryPhone: String? = nil, wish: String,
        claimedBy: String? = nil, state: State = .posted, postedOn: CalendarDate, fulfilledOn: CalendarDate? = nil
    ) {
        self.id = id
        self.orgUnitId = orgUnitId
        self.beneficiary = beneficiary
        self.beneficiaryPhone = beneficiaryPhone
        self.wish = wish
        self.claimedBy = claimedBy
        self.state = state
        self.postedOn = postedOn
        self.fulfilledOn = fulfilledOn
    }

    /// The wish's org unit.
    public var scope: String { orgUnitId }

    /// Reads a wish from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.beneficiary = try r.require(r.string("beneficiary"), "beneficiary")
        self.beneficiaryPhone = try r.string("beneficiaryPhone")
        self.wish = try r.require(r.string("wish"), "wish")
        self.claimedBy = try r.ref("claimedBy")
        self.state = try r.require(r.enumeration("state"), "state")
        self.postedOn = try r.require(r.date("postedOn"), "postedOn")
        self.fulfilledOn = try r.date("fulfilledOn")
    }

    /// The wish's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("orgUnitId", orgUnitId)
        w.put("beneficiary", beneficiary)
        w.put("beneficiaryPhone", beneficiaryPhone)
        w.put("wish", wish)
        w.put("claimedBy", claimedBy)
        w.put("state", state)
        w.put("postedOn", postedOn)
        w.put("fulfilledOn", fulfilledOn)
        return w.fields
    }
}
