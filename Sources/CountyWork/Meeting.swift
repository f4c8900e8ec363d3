public import SyncModel

/// A joint meeting (联席会议) or deliberation (议事协商会) of the units of an area, where the
/// demand, resource and project lists are matched.
///
/// `participants` is a set of org unit ids (add-wins). `minutes` and `decisions` are text:
/// concurrent edits are a conflict to surface, not silently lost.
public struct Meeting: CountyRecord {
    /// What kind of meeting it is.
    public enum Kind: String, CaseIterable, Hashable, Sendable, Codable {
        /// A joint meeting of the units of an area (联席会议).
        case jointMeeting
        /// A deliberation with residents and units (议事协商会).
        case deliberation
        /// Anything else.
        case other
    }

    /// `meeting`.
    public static let recordType = "meeting"

    /// The meeting's id.
    public var id: String
    /// The org unit holding the meeting.
    public var orgUnitId: String
    /// The day of the meeting.
    public var date: CalendarDate
    /// What kind of meeting it is.
    public var kind: Kind
    /// The meeting's title.
    public var title: String?
    /// Where it takes place.
    public var place: String?
    /// The org units taking part.
    public var participants: Set<String>
    /// The minutes.
    public var minutes: String?
    /// The decisions taken.
    public var decisions: String?

    /// Creates a meeting.
    public init(
        id: String, orgUnitId: String, date: CalendarDate, kind: Kind, title: String? = nil, place: String? = nil,
        participants: Set<String> = [], minutes: String? = nil, decisions: String? = nil
    ) {
        self.id = id
        self.orgUnitId = orgUnitId
        self.date = date
        self.kind = kind
        self.title = title
        self.place = place
        self.participants = participants
        self.minutes = minutes
        self.decisions = decisions
    }

    /// The meeting's org unit.
    public var scope: String { orgUnitId }

    /// Reads a meeting with no participants from its scalar fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        try self.init(id: id, fields: fields, setFields: [:])
    }

    /// Reads a meeting from its scalar fields and its `participants`.
    public init(id: String, fields: [String: FieldValue], setFields: [String: Set<String>]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields, setFields: setFields)
        self.id = id
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.date = try r.require(r.date("date"), "date")
        self.kind = try r.require(r.enumeration("kind"), "kind")
        self.title = try r.string("title")
        self.place = try r.string("place")
        self.participants = try r.set("participants")
        self.minutes = try r.string("minutes")
        self.decisions = try r.string("decisions")
    }

    /// The meeting's scalar fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("orgUnitId", orgUnitId)
        w.put("date", date)
        w.put("kind", kind)
        w.put("title", title)
        w.put("place", place)
        w.put("minutes", minutes)
        w.put("decisions", decisions)
        return w.fields
    }

    /// `participants`.
    public var setFields: [String: Set<String>] {
        ["participants": participants]
    }
}
