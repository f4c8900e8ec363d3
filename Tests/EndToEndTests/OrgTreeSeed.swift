import CountyWork
import SyncModel
import SyncStore

/// Gives a station replica file an org tree, as its first sync (a hub snapshot) would: since
/// the org tree is the county hub's to write, a station learns it only from its hub.
enum OrgTreeSeed {
    /// A unit of the tree: id, name, kind and parent.
    typealias Unit = (id: String, name: String, kind: String, parent: String?)

    /// The township `yc-t01` under the county `yc`, with its community `yc-t01-c01`.
    static let township: [Unit] = [
        ("yc", "永春县", "county", nil), ("yc-t01", "桃城镇", "township", "yc"),
        ("yc-t01-c01", "留安社区", "community", "yc-t01"),
    ]

    /// Installs `units` into the replica at `path` (which must exist) as snapshot records of
    /// a hub whose clock is just behind the station's.
    static func install(_ units: [Unit], into path: String) throws {
        let store = try ReplicaStore.open(path: path, schema: try CountyWorkSchema.load())
        let version = Version(hlc: HLC(millis: 1_700_000_000_000, counter: 0), site: SiteID(rawValue: 0x4855_4200_0000_0001))
        try store.install(
            units.map { unit in
                var fields = [
                    SnapshotField(field: "name", heads: [Head(version: version, value: .string(unit.name))]),
                    SnapshotField(field: "kind", heads: [Head(version: version, value: .string(unit.kind))]),
                ]
                if let parent = unit.parent {
                    fields.append(SnapshotField(field: "parentId", heads: [Head(version: version, value: .string(parent))]))
                }
                return SnapshotRecord(type: "orgUnit", id: unit.id, scope: unit.id, fields: fields)
            })
    }
}
