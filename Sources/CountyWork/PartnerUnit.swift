public import SyncModel

/// A resident unit (驻区单位) or co-building partner (共建单位) of an org unit, with its
/// agreement (共建协议) and the latest annual two-way rating (双向评议). Last-writer-wins.
public struct PartnerUnit: CountyRecord {
    /// How the unit is related to the area.
    public enum Kind: String, CaseIterable, Hashable, Sendable, Codable {
        /// A unit located in the area (驻区单位).
        case residentUnit
        /// A unit that signed a co-building agreement (共建单位).
        case coBuildingUnit
    }

    /// `partnerUnit`.
    public static let recordType = "partnerUnit"
    /// `contactPhone`.
    public static var personalFields: Set<String> { ["contactPhone"] }

    /// The partner's id.
    public var id: String
    /// The org unit the partner works with.
    public var orgUnitId: String
    /// The partner's name.
    public var name: String
    /// How the partner is related to the area.
    public var kind: Kind
    /// The partner's contact person.
    public var contactPerson: String?
    /// The contact person's phone number (personal).
    public var contactPhone: String?
    /// The day the agreement was signed.
    public var signedOn: CalendarDate?
    /// What the partner committed to in the agreement.
    public var commitments: String?
    /// The year of the latest two-way rating (2000 to 2100).
    public var ratingYear: Int?
    /// The area's rating of the partner that year (0 to 100).
    public var ratingOfUnit: Double?
    /// The partner's rating of the area's organisation that year (0 to 100).
    public var ratingByUnit: Double?

    /// Creates a partner unit.
    public init(
        id: String, orgUnitId: String, name: String, kind: Kind, contactPerson: String? = nil,
        contactPhone: String? = nil, signedOn: CalendarDate? = nil, commitments: String? = nil,
        ratingYear: Int? = nil, ratingOfUnit: Double? = nil, ratingByUnit: Double? = nil
    ) {
        self.id = id
        self.orgUnitId = orgUnitId
        self.name = name
        self.kind = kind
        self.contactPerson = contactPerson
        self.contactPhone = contactPhone
        self.signedOn = signedOn
        self.commitments = commitments
        self.ratingYear = ratingYear
        self.ratingOfUnit = ratingOfUnit
        self.ratingByUnit = ratingByUnit
    }

    /// The partner's org unit.
    public var scope: String { orgUnitId }

    /// Reads a partner unit from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.name = try r.require(r.string("name"), "name")
        self.kind = try r.require(r.enumeration("kind"), "kind")
        self.contactPerson = try r.string("contactPerson")
        self.contactPhone = try r.string("contactPhone")
        self.signedOn = try r.date("signedOn")
        self.commitments = try r.string("commitments")
        self.ratingYear = try r.int("ratingYear")
        self.ratingOfUnit = try r.number("ratingOfUnit")
        self.ratingByUnit = try r.number("ratingByUnit")
    }

    /// The partner's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("orgUnitId", orgUnitId)
        w.put("name", name)
        w.put("kind", kind)
        w.put("contactPerson", contactPerson)
        w.put("contactPhone", contactPhone)
        w.put("signedOn", signedOn)
        w.put("commitments", commitments)
        w.put("ratingYear", ratingYear)
        w.put("ratingOfUnit", ratingOfUnit)
        w.put("ratingByUnit", ratingByUnit)
        return w.fields
    }
}
