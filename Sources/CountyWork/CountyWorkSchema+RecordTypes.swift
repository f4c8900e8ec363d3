extension CountyWorkSchema {
    /// The typed record of every record type of the schema, in the order of DOMAIN.md.
    public static let recordTypes: [any CountyRecord.Type] = [
        OrgUnit.self, Member.self, Transfer.self, ServiceOrder.self, MicroWish.self, VolunteerTeam.self,
        VolunteerHours.self, Activity.self, Meeting.self, PartnerUnit.self, Demand.self, Resource.self,
        Project.self, GridIncident.self,
    ]

    /// The typed record of the schema's type `name`, or `nil` when there is none.
    public static func recordType(named name: String) -> (any CountyRecord.Type)? {
        recordTypes.first { $0.recordType == name }
    }
}
