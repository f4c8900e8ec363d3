public import SyncModel

/// An organisation or area node of the county tree (组织): the county, a township or street,
/// a community or village, a grid or a building. Every other record belongs to one.
///
/// An org unit's scope is its own id. Parent changes are rare and last-writer-wins.
public struct OrgUnit: CountyRecord {
    /// The level of a unit in the tree.
    public enum Kind: String, CaseIterable, Hashable, Sendable, Codable {
        /// The county (县), the root of a county tree.
        case county
        /// A township or town (乡镇).
        case township
        /// A street (街道), the urban peer of a township.
        case street
        /// An urban community (社区).
        case community
        /// A village (村).
        case village
        /// A grid (网格, 片区) of a community or village.
        case grid
        /// A building (楼栋).
        case building
    }

    /// The form of the unit's organisation.
    public enum OrgForm: String, CaseIterable, Hashable, Sendable, Codable {
        /// A committee (党委).
        case committee
        /// A general branch (党总支).
        case generalBranch
        /// A branch (党支部).
        case branch
        /// A group (党小组).
        case group
    }

    /// `orgUnit`.
    public static let recordType = "orgUnit"

    /// The unit's id, e.g. `yc-t01-c03`.
    public var id: String
    /// The unit's name, e.g. 桃城镇.
    public var name: String
    /// The unit's level.
    public var kind: Kind
    /// The parent unit's id; `nil` for the root.
    public var parentId: String?
    /// The form of the unit's organisation.
    public var orgForm: OrgForm?

    /// Creates an org unit.
    public init(id: String, name: String, kind: Kind, parentId: String? = nil, orgForm: OrgForm? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parentId = parentId
        self.orgForm = orgForm
    }

    /// The unit's own id.
    public var scope: String { id }

    /// Reads an org unit from its fields.
    public init(id: String, fields: [String: FieldValue]) throws(SyncError) {
        let r = try FieldReader(type: Self.recordType, id: id, fields: fields)
        self.id = id
        self.name = try r.require(r.string("name"), "name")
        self.kind = try r.require(r.enumeration("kind"), "kind")
        self.parentId = try r.ref("parentId")
        self.orgForm = try r.enumeration("orgForm")
    }

    /// The unit's fields that have a value.
    public var fields: [String: FieldValue] {
        var w = FieldWriter()
        w.put("name", name)
        w.put("kind", kind)
        w.put("parentId", parentId)
        w.put("orgForm", orgForm)
        return w.fields
    }
}
