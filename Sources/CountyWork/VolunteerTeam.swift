public import SyncModel

/// A volunteer service team (志愿服务队) of an org unit, to which service orders are
/// dispatched. Last-writer-wins.
public struct VolunteerTeam: CountyRecord {
    /// `volunteerTeam`.
    public static let recordType = "volunteerTeam"

    /// The team's id.
    public var id: String
    /// The org unit the team belongs to.
    public var orgUnitId: String
    /// The team's name.
    public var name: String
    /// What the team is good at, e.g. 法律咨询 or 家电维修.
    public var specialty: String?
    /// The member leading the team.
    public var leaderId: String?
    /// The day the team was founded.
    public var foundedOn: CalendarDate?

    /// Creates a team.
    public init(
        id: String, orgUnitId: String, name: String, specialty: String? = nil, leaderId: String? = nil,
        foundedOn: CalendarDate? = nil
    ) {
        self.id = id
        self.orgUnitId = orgUnitId
        self.name = name
        self.specialty = specialty
        self.leaderId = leaderId
        self.foundedOn = foundedOn
    }

    /// The team's org unit.
    public var scope: String { orgUnitId }

    /// Reads a team from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.name = try r.require(r.string("name"), "name")
        self.specialty = try r.string("specialty")
        self.leaderId = try r.ref("leaderId")
        self.foundedOn = try r.date("foundedOn")
    }

    /// The team's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("orgUnitId", orgUnitId)
        w.put("name", name)
        w.put("specialty", specialty)
        w.put("leaderId", leaderId)
        w.put("foundedOn", foundedOn)
        return w.fields
    }
}
