public import SyncModel

/// A time-bank entry (时间银行): hours a member served, possibly for a service order.
///
/// Entries are append-only: never edited or deleted. A correction is a new entry with
/// negative hours, and a member's or unit's total is the sum of its entries.
public struct VolunteerHours: CountyRecord {
    /// `volunteerHours`.
    public static let recordType = "volunteerHours"

    /// The entry's id.
    public var id: String
    /// The member who served.
    public var memberId: String
    /// The team the member served with.
    public var teamId: String?
    /// The service order served, if any.
    public var orderId: String?
    /// The org unit the hours count for.
    public var orgUnitId: String
    /// The day of the service.
    public var date: CalendarDate
    /// The hours served, at most a day's (−24 to 24); negative in a correction.
    public var hours: Double
    /// A note.
    public var note: String?

    /// Creates a time-bank entry.
    public init(
        id: String, memberId: String, teamId: String? = nil, orderId: String? = nil, orgUnitId: String,
        date: CalendarDate, hours: Double, note: String? = nil
    ) {
        self.id = id
        self.memberId = memberId
        self.teamId = teamId
        self.orderId = orderId
        self.orgUnitId = orgUnitId
        self.date = date
        self.hours = hours
        self.note = note
    }

    /// The entry's org unit.
    public var scope: String { orgUnitId }

    /// Reads an entry from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.memberId = try r.require(r.ref("memberId"), "memberId")
        self.teamId = try r.ref("teamId")
        self.orderId = try r.ref("orderId")
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.date = try r.require(r.date("date"), "date")
        self.hours = try r.require(r.number("hours"), "hours")
        self.note = try r.string("note")
    }

    /// The entry's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("memberId", memberId)
        w.put("teamId", teamId)
        w.put("orderId", orderId)
        w.put("orgUnitId", orgUnitId)
        w.put("date", date)
        w.put("hours", hours)
        w.put("note", note)
        return w.fields
    }

    /// The entry that cancels this one: the same member, team, order, unit and day with the
    /// opposite hours, under a new id.
    public func correction(id: String, date: CalendarDate? = nil, note: String? = nil) -> VolunteerHours {
        VolunteerHours(
            id: id, memberId: memberId, teamId: teamId, orderId: orderId, orgUnitId: orgUnitId,
            date: date ?? self.date, hours: -hours, note: note)
    }
}
