/// The org tree as a value: each org unit and its parent.
///
/// Scope is decided over this value, the same way on every side: the hub builds it from its
/// org table, a station from the org-unit records its replica holds (``ScopeRule``).
public struct OrgTree: Hashable, Sendable {
    /// Each unit's parent; a root maps to `nil`.
    public private(set) var parents: [String: String?]

    /// The deepest chain walked before a unit is treated as detached (a cycle or a corrupt tree).
    public static let maxDepth = 64

    /// Creates a tree from each unit's parent (`nil` for a root).
    public init(parents: [String: String?] = [:]) {
        self.parents = parents
    }

    /// Whether the tree holds `unit`.
    public func contains(_ unit: String) -> Bool {
        parents[unit] != nil
    }

    /// The parent of `unit`, `nil` for a root or a unit the tree does not hold.
    public func parent(of unit: String) -> String? {
        parents[unit] ?? nil
    }

    /// Sets (or adds) a unit's parent.
    public mutating func setParent(_ parent: String?, of unit: String) {
        parents[unit] = .some(parent)
    }

    /// The units from the root down to `unit` (both included), or `nil` when `unit` is not
    /// in the tree, its chain names a unit the tree does not hold, or it runs in a cycle.
    public func path(to unit: String) -> [String]? {
        var chain: [String] = []
        var current: String? = unit
        while let node = current {
            guard contains(node), chain.count < Self.maxDepth, !chain.contains(node) else { return nil }
            chain.append(node)
            current = parent(of: node)
        }
        return chain.reversed()
    }

    /// Whether `unit` is `ancestor` or lies under it.
    public func isWithin(_ unit: String, _ ancestor: String) -> Bool {
        path(to: unit)?.contains(ancestor) ?? false
    }

    /// What a station bound to `unit` sees and owns: its subtree and the units above it.
    /// A unit the tree does not hold gives an empty scope: such a station sees nothing.
    public func scope(of unit: String) -> StationScope {
        guard let path = path(to: unit) else { return StationScope(unit: unit, subtree: [], ancestors: []) }
        var subtree: Set<String> = [unit]
        for candidate in parents.keys where candidate != unit {
            if let candidatePath = self.path(to: candidate), candidatePath.count > path.count, candidatePath[path.count - 1] == unit {
                subtree.insert(candidate)
            }
        }
        return StationScope(unit: unit, subtree: subtree, ancestors: Set(path.dropLast()))
    }

    /// The materialised path of every unit (`/root/child/`), checking that every parent is in
    /// the tree and that there is no cycle.
    public func materialisedPaths() throws(SyncError) -> [String: String] {
        var paths: [String: String] = [:]
        for id in parents.keys.sorted() {
            var chain: [String] = []
            var current: String? = id
            while let unit = current, paths[unit] == nil {
                guard contains(unit) else {
                    throw SyncError(.notFound, "org unit \"\(chain.last ?? id)\" names parent \"\(unit)\", which is not in the tree")
                }
                guard !chain.contains(unit) else {
                    throw SyncError(.badRequest, "org units \((chain + [unit]).joined(separator: " → ")) form a cycle")
                }
                chain.append(unit)
                current = parent(of: unit)
            }
            var prefix = current.flatMap { paths[$0] } ?? "/"
            for unit in chain.reversed() {
                prefix += unit + "/"
                paths[unit] = prefix
            }
        }
        return paths
    }
}
