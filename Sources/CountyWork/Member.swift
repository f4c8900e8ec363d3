public import SyncModel

/// A registered member (党员) with an electronic identity, registered in one org unit.
///
/// Fields are last-writer-wins. `phone` and `idNumber` are personal data: they never leave
/// the member's scope and never appear in logs.
public struct Member: CountyRecord {
    /// A member's gender.
    public enum Gender: String, CaseIterable, Hashable, Sendable, Codable {
        /// Female.
        case female
        /// Male.
        case male
    }

    /// How a member is registered.
    public enum Category: String, CaseIterable, Hashable, Sendable, Codable {
        /// Managed directly by the unit (直管).
        case direct
        /// Working elsewhere and dual-registered in the community (在职双报到).
        case inService
        /// Retired (离退休).
        case retired
        /// Floating: living away from the unit of registration (流动).
        case floating
        /// Laid off (下岗).
        case laidOff
    }

    /// `member`.
    public static let recordType = "member"
    /// `phone` and `idNumber`.
    public static var personalFields: Set<String> { ["phone", "idNumber"] }

    /// The member's id.
    public var id: String
    /// The member's name.
    public var name: String
    /// The member's gender.
    public var gender: Gender?
    /// The member's year of birth (the schema takes 1900 to 2100).
    public var birthYear: Int?
    /// The day the member joined.
    public var joinedOn: CalendarDate?
    /// The org unit the member is registered in.
    public var orgUnitId: String
    /// How the member is registered.
    public var category: Category
    /// The member's phone number (personal; at most 32 characters).
    public var phone: String?
    /// The member's identity card number (personal; at most 18 characters).
    public var idNumber: String?

    /// Creates a member.
    public init(
        id: String, name: String, gender: Gender? = nil, birthYear: Int? = nil, joinedOn: CalendarDate? = nil,
        orgUnitId: String, category: Category, phone: String? = nil, idNumber: String? = nil
    ) {
        self.id = id
        self.name = name
        self.gender = gender
        self.birthYear = birthYear
        self.joinedOn = joinedOn
        self.orgUnitId = orgUnitId
        self.category = category
        self.phone = phone
        self.idNumber = idNumber
    }

    /// The member's org unit.
    public var scope: String { orgUnitId }

    /// Reads a member from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.name = try r.require(r.string("name"), "name")
        self.gender = try r.enumeration("gender")
        self.birthYear = try r.int("birthYear")
        self.joinedOn = try r.date("joinedOn")
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.category = try r.require(r.enumeration("category"), "category")
        self.phone = try r.string("phone")
        self.idNumber = try r.string("idNumber")
    }

    /// The member's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("name", name)
        w.put("gender", gender)
        w.put("birthYear", birthYear)
        w.put("joinedOn", joinedOn)
        w.put("orgUnitId", orgUnitId)
        w.put("category", category)
        w.put("phone", phone)
        w.put("idNumber", idNumber)
        return w.fields
    }
}
