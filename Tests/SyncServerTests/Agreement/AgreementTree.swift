import SyncModel
import SyncServer

/// The county the agreement tests run in, and the scope rule they hold every replica to.
///
///     yc (county)
///     ├── yc-t01 (township)
///     │   ├── yc-t01-c01 (community)
///     │   └── yc-t01-c02 (community)
///     ├── yc-t02 (township)
///     │   └── yc-t02-c01 (village)
///     └── yc-t03 (township)
struct AgreementTree: Sendable {
    static let units: [HubOrgUnit] = [
        HubOrgUnit(id: "yc", name: "永春县", kind: "county"),
        HubOrgUnit(id: "yc-t01", name: "桃城镇", kind: "township", parentId: "yc"),
        HubOrgUnit(id: "yc-t01-c01", name: "留安社区", kind: "community", parentId: "yc-t01"),
        HubOrgUnit(id: "yc-t01-c02", name: "环城社区", kind: "community", parentId: "yc-t01"),
        HubOrgUnit(id: "yc-t02", name: "五里街镇", kind: "township", parentId: "yc"),
        HubOrgUnit(id: "yc-t02-c01", name: "大羽村", kind: "village", parentId: "yc-t02"),
        HubOrgUnit(id: "yc-t03", name: "蓬壶镇", kind: "township", parentId: "yc"),
    ]

    /// Every unit id, in the order above.
    let ids: [String] = Self.units.map(\.id)
    private let parents: [String: String] = Dictionary(
        uniqueKeysWithValues: Self.units.compactMap { unit in unit.parentId.map { (unit.id, $0) } })

    /// The parent of `unit`, `nil` for the county.
    func parent(of unit: String) -> String? { parents[unit] }

    /// The units directly under `unit`.
    func children(of unit: String) -> [String] { ids.filter { parents[$0] == unit } }

    /// `unit` and every unit below it.
    func subtree(of unit: String) -> Set<String> {
        Set(ids.filter { candidate in
            var current: String? = candidate
            while let at = current {
                if at == unit { return true }
                current = parents[at]
            }
            return false
        })
    }

    /// The units above `unit`, up to the county.
    func ancestors(of unit: String) -> Set<String> {
        var result: Set<String> = []
        var current = parents[unit]
        while let at = current {
            result.insert(at)
            current = parents[at]
        }
        return result
    }

    /// The level of a unit: 0 for the county, 1 for a township, 2 for a community.
    func depth(of unit: String) -> Int { ancestors(of: unit).count }
}

/// The scope rule the property holds every replica to, in the one place this harness asks
/// for it: SyncModel's (``OrgTree/scope(of:)`` and ``StationScope/visibility(of:)``), the rule
/// the station's planner, the hub's push check, pulls, snapshots, moves and digests all use.
/// `ScopeRuleTextTests` holds that rule to SPEC §10's own words over this tree.
enum ScopeRuleUnderTest {
    static func visibility(of place: RecordPlace, station unit: String, tree: AgreementTree) -> Visibility {
        tree.orgTree.scope(of: unit).visibility(of: place)
    }
}

extension AgreementTree {
    /// The tree as SyncModel's value.
    var orgTree: OrgTree {
        OrgTree(parents: Dictionary(uniqueKeysWithValues: Self.units.map { ($0.id, $0.parentId) }))
    }
}
