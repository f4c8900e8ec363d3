public import SyncModel

/// A members' activity: a themed day (主题党日), the county's unified activity day
/// (统一活动日, e.g. the 4th Saturday of each month), a member day or another activity.
///
/// `attendees` is a set of member ids: check-ins from two devices at once both count.
public struct Activity: CountyRecord {
    /// What kind of activity it is.
    public enum Kind: String, CaseIterable, Hashable, Sendable, Codable {
        /// A themed day (主题党日).
        case themedDay
        /// The county's unified activity day (统一活动日).
        case unifiedActivityDay
        /// A member day (党员日).
        case memberDay
        /// Volunteer service.
        case volunteerService
        /// Study.
        case study
        /// Anything else.
        case other
    }

    /// `activity`.
    public static let recordType = "activity"

    /// The activity's id.
    public var id: String
    /// The org unit holding the activity.
    public var orgUnitId: String
    /// What kind of activity it is.
    public var kind: Kind
    /// The day of the activity.
    public var date: CalendarDate
    /// The activity's title.
    public var title: String
    /// Where it takes place.
    public var place: String?
    /// What happened.
    public var summary: String?
    /// The members who checked in.
    public var attendees: Set<String>

    /// Creates an activity.
    public init(
        id: String, orgUnitId: String, kind: Kind, date: CalendarDate, title: String, place: String? = nil,
        summary: String? = nil, attendees: Set<String> = []
    ) {
        self.id = id
        self.orgUnitId = orgUnitId
        self.kind = kind
        self.date = date
        self.title = title
        self.place = place
        self.summary = summary
        self.attendees = attendees
    }

    /// The activity's org unit.
    public var scope: String { orgUnitId }

    /// Reads an activity with no attendees from its scalar fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        try self.init(id: id, fields: fields, setFields: [:])
    }

    /// Reads an activity from its scalar fields and its `attendees`.
    public init(id: String, fields: [String: FieldValue], setFields: [String: Set<String>]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields, setFields: setFields)
        self.id = id
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.kind = try r.require(r.enumeration("kind"), "kind")
        self.date = try r.require(r.date("date"), "date")
        self.title = try r.require(r.string("title"), "title")
        self.place = try r.string("place")
        self.summary = try r.string("summary")
        self.attendees = try r.set("attendees")
    }

    /// The activity's scalar fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("orgUnitId", orgUnitId)
        w.put("kind", kind)
        w.put("date", date)
        w.put("title", title)
        w.put("place", place)
        w.put("summary", summary)
        return w.fields
    }

    /// `attendees`.
    public var setFields: [String: Set<String>] {
        ["attendees": attendees]
    }
}
