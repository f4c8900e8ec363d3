public import SyncModel

/// Moving a member's registration from one org unit to another (组织关系接转).
///
/// A transfer is in the scope of both units, so both stations receive it. The member and
/// the two units are fixed at creation; the state only moves forward.
public struct Transfer: CountyRecord {
    /// The states of a transfer, in order.
    public enum State: String, ForwardState, Codable {
        /// The member or the sending unit asked for the transfer.
        case requested
        /// The sending unit released the registration.
        case released
        /// The receiving unit took the registration in.
        case received
    }

    /// `transfer`.
    public static let recordType = "transfer"

    /// The transfer's id.
    public var id: String
    /// The member whose registration moves.
    public var memberId: String
    /// The unit the registration leaves (the transfer's scope).
    public var fromOrgUnitId: String
    /// The unit the registration moves to (the transfer is in its scope too).
    public var toOrgUnitId: String
    /// How far the transfer has got.
    public var state: State
    /// The day the transfer was requested.
    public var requestedOn: CalendarDate
    /// The day the sending unit released the registration.
    public var releasedOn: CalendarDate?
    /// The day the receiving unit took it in.
    public var receivedOn: CalendarDate?
    /// A note.
    public var note: String?

    /// Creates a transfer.
    public init(
        id: String, memberId: String, fromOrgUnitId: String, toOrgUnitId: String, state: State = .requested,
        requestedOn: CalendarDate, releasedOn: CalendarDate? = nil, receivedOn: CalendarDate? = nil, note: String? = nil
    ) {
        self.id = id
        self.memberId = memberId
        self.fromOrgUnitId = fromOrgUnitId
        self.toOrgUnitId = toOrgUnitId
        self.state = state
        self.requestedOn = requestedOn
        self.releasedOn = releasedOn
        self.receivedOn = receivedOn
        self.note = note
    }

    /// The unit the registration leaves; the receiving unit (``toOrgUnitId``) sees the
    /// transfer too.
    public var scope: String { fromOrgUnitId }

    /// Reads a transfer from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.memberId = try r.require(r.ref("memberId"), "memberId")
        self.fromOrgUnitId = try r.require(r.ref("fromOrgUnitId"), "fromOrgUnitId")
        self.toOrgUnitId = try r.require(r.ref("toOrgUnitId"), "toOrgUnitId")
        self.state = try r.require(r.enumeration("state"), "state")
        self.requestedOn = try r.require(r.date("requestedOn"), "requestedOn")
        self.releasedOn = try r.date("releasedOn")
        self.receivedOn = try r.date("receivedOn")
        self.note = try r.string("note")
    }

    /// The transfer's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("memberId", memberId)
        w.put("fromOrgUnitId", fromOrgUnitId)
        w.put("toOrgUnitId", toOrgUnitId)
        w.put("state", state)
        w.put("requestedOn", requestedOn)
        w.put("releasedOn", releasedOn)
        w.put("receivedOn", receivedOn)
        w.put("note", note)
        return w.fields
    }
}
