import SyncModel
import SyncStore
import GRDB

/// The org tree as one replica holds it, walked inside a transaction to decide whether an
/// org unit lies in a station's subtree.
struct OrgTree {
    /// The record type of org units: `orgUnit`, or else the schema's first type whose scope
    /// is its own id.
    let unitType: String?
    /// The field of an org unit naming its parent.
    let parentField: String
    let store: ReplicaStore
    let db: Database

    /// The deepest tree walked before giving up (a cycle or a corrupt tree).
    static let maxDepth = 64

    init(store: ReplicaStore, db: Database) {
        let schema = store.schema
        let unitType =
            schema.types["orgUnit"]?.scopeField == nil && schema.types["orgUnit"] != nil
            ? "orgUnit"
            : schema.types.keys.sorted().first { schema.types[$0]?.scopeField == nil }
        self.unitType = unitType
        let fields = unitType.flatMap { schema.types[$0]?.fields } ?? [:]
        self.parentField =
            fields["parentId"] != nil
            ? "parentId"
            : fields.keys.sorted().first { fields[$0]?.kind == .ref && fields[$0]?.ref == unitType } ?? "parentId"
        self.store = store
        self.db = db
    }

    /// Whether `unit` is `root` or lies under it.
    ///
    /// - Parameter pending: a parent about to be written for one unit (id → new parent, `nil`
    ///   for none), used instead of what the replica holds for that unit.
    func contains(_ unit: String, in root: String, pending: (id: String, parent: String?)? = nil) throws -> Bool {
        var current = unit
        var seen: Set<String> = []
        for _ in 0..<Self.maxDepth {
            if current == root { return true }
            guard seen.insert(current).inserted else { return false }
            let parent: String?
            if let pending, pending.id == current {
                parent = pending.parent
            } else {
                parent = try self.parent(of: current)
            }
            guard let parent else { return false }
            current = parent
        }
        return false
    }

    /// The parent of `unit` as the replica holds it.
    func parent(of unit: String) throws -> String? {
        guard let unitType else { return nil }
        return try store.loadField(FieldKey(type: unitType, id: unit, field: parentField), db)?.winner.value.stringValue
    }
}
