import SyncModel

/// The org tree as a report needs it (a few hundred units, read once per report): the report's
/// root unit, its subtree in path order, its direct children, and which row a record's unit
/// rolls up into.
struct OrgIndex: Sendable {
    /// One unit.
    struct Unit: Hashable, Sendable {
        var id: String
        var name: String
        var kind: String
        var parent: String?
        var path: String

        /// The ids on the path from the tree's root down to this unit, inclusive.
        var lineage: [String] { path.split(separator: "/").map(String.init) }
    }

    /// Every unit by id.
    let units: [String: Unit]
    /// The unit whose subtree the report covers.
    let root: Unit
    /// The root and every unit below it, in path order.
    let subtree: [Unit]
    /// The root's direct children, in path order.
    let children: [Unit]

    /// Loads the tree and resolves `org` (the first root of the tree when `nil`); throws
    /// `not_found` for an unknown unit or an empty tree.
    init(_ db: any ReportDatabase, org: String?) async throws {
        var units: [String: Unit] = [:]
        var ordered: [Unit] = []
        for row in try await db.rows("SELECT id, name, kind, parent, path FROM org_units ORDER BY path", []) {
            let unit = Unit(id: row.text(0) ?? "", name: row.text(1) ?? "", kind: row.text(2) ?? "", parent: row.text(3), path: row.text(4) ?? "")
            units[unit.id] = unit
            ordered.append(unit)
        }
        let root: Unit
        if let org {
            guard let unit = units[org] else {
                throw SyncError(.notFound, "there is no org unit \"\(org.prefix(60))\" on this hub; see tributary-hub org list")
            }
            root = unit
        } else {
            guard let unit = ordered.first(where: { $0.parent == nil }) else {
                throw SyncError(.notFound, "the hub has no org tree yet; import one with tributary-hub org import")
            }
            root = unit
        }
        self.units = units
        self.root = root
        self.subtree = ordered.filter { $0.path.hasPrefix(root.path) }
        self.children = ordered.filter { $0.parent == root.id }
    }

    /// Whether `unit` lies in the root's subtree.
    func contains(_ unit: String) -> Bool {
        units[unit]?.path.hasPrefix(root.path) == true
    }

    /// The root's child whose subtree holds `unit`; the root itself for a record held
    /// directly by the root; `nil` outside the subtree.
    func group(of unit: String) -> String? {
        guard let path = units[unit]?.path, path.hasPrefix(root.path) else { return nil }
        if unit == root.id { return root.id }
        let below = path.dropFirst(root.path.count)
        return below.split(separator: "/").first.map(String.init)
    }

    /// The units of the subtree that `unit` rolls up into: itself and its ancestors up to the root.
    func rollUp(of unit: String) -> [String] {
        guard let found = units[unit], found.path.hasPrefix(root.path) else { return [] }
        let depth = root.lineage.count - 1
        return Array(found.lineage.dropFirst(depth))
    }

    /// The unit's depth below the root (0 for the root).
    func depth(of unit: Unit) -> Int { unit.lineage.count - root.lineage.count }

    /// SQL: `column` names a unit of the subtree. Arguments: the root's path twice.
    static let inSubtree = "IN (SELECT id FROM org_units WHERE substr(path, 1, length(?)) = ?)"

    /// The arguments of ``inSubtree``.
    var subtreeArguments: [ReportArgument] { [.text(root.path), .text(root.path)] }
}
