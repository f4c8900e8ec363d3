public import SyncModel

/// An entry of the project list (项目清单): work agreed at a deliberation meeting that meets
/// listed demands with listed resources.
///
/// The state only moves forward; `demandIds` and `resourceIds` are sets (add-wins).
public struct Project: CountyRecord {
    /// The states of a project, in order.
    public enum State: String, ForwardState, Codable {
        /// Proposed.
        case proposed
        /// Approved at a meeting.
        case approved
        /// Under way.
        case underway
        /// Completed.
        case completed
        /// Evaluated afterwards.
        case evaluated
    }

    /// `project`.
    public static let recordType = "project"

    /// The project's id.
    public var id: String
    /// The org unit running the project.
    public var orgUnitId: String
    /// The project in a few words.
    public var title: String
    /// The project in full.
    public var description: String?
    /// The demands the project meets.
    public var demandIds: Set<String>
    /// The resources the project uses.
    public var resourceIds: Set<String>
    /// How far the project has got.
    public var state: State
    /// The day work started.
    public var startedOn: CalendarDate?
    /// The day work was completed.
    public var completedOn: CalendarDate?

    /// Creates a project.
    public init(
        id: String, orgUnitId: String, title: String, description: String? = nil, demandIds: Set<String> = [],
        resourceIds: Set<String> = [], state: State = .proposed, startedOn: CalendarDate? = nil,
        completedOn: CalendarDate? = nil
    ) {
        self.id = id
        self.orgUnitId = orgUnitId
        self.title = title
        self.description = description
        self.demandIds = demandIds
        self.resourceIds = resourceIds
        self.state = state
        self.startedOn = startedOn
        self.completedOn = completedOn
    }

    /// The project's org unit.
    public var scope: String { orgUnitId }

    /// Reads a project with no linked demands or resources from its scalar fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        try self.init(id: id, fields: fields, setFields: [:])
    }

    /// Reads a project from its scalar fields, `demandIds` and `resourceIds`.
    public init(id: String, fields: [String: FieldValue], setFields: [String: Set<String>]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields, setFields: setFields)
        self.id = id
        self.orgUnitId = try r.require(r.ref("orgUnitId"), "orgUnitId")
        self.title = try r.require(r.string("title"), "title")
        self.description = try r.string("description")
        self.demandIds = try r.set("demandIds")
        self.resourceIds = try r.set("resourceIds")
        self.state = try r.require(r.enumeration("state"), "state")
        self.startedOn = try r.date("startedOn")
        self.completedOn = try r.date("completedOn")
    }

    /// The project's scalar fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("orgUnitId", orgUnitId)
        w.put("title", title)
        w.put("description", description)
        w.put("state", state)
        w.put("startedOn", startedOn)
        w.put("completedOn", completedOn)
        return w.fields
    }

    /// `demandIds` and `resourceIds`.
    public var setFields: [String: Set<String>] {
        ["demandIds": demandIds, "resourceIds": resourceIds]
    }
}
