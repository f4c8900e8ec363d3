public import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func importOrgUnits(_ units: [HubOrgUnit]) async throws -> OrgImportReport {
        try await write { db in
            var tree: [String: HubOrgUnit] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name, kind, parent, org_form, path FROM org_units") {
                tree[row[0]] = HubOrgUnit(id: row[0], name: row[1], kind: row[2], parentId: row[3], orgForm: row[4], path: row[5])
            }
            let before = tree
            for unit in units { tree[unit.id] = unit }
            let paths = try OrgTree.paths(of: tree)
            var report = OrgImportReport()
            var edits: [LocalEdit] = []
            for unit in units {
                if let old = before[unit.id] {
                    if old.name == unit.name && old.kind == unit.kind && old.parentId == unit.parentId && old.orgForm == unit.orgForm {
                        report.unchanged += 1
                    } else {
                        report.updated += 1
                    }
                } else {
                    report.added += 1
                }
                edits += try orgUnitEdits(unit, db)
            }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO org_units (id, name, kind, parent, org_form, path) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent = excluded.parent,
                        org_form = excluded.org_form, path = excluded.path
                    """)
            for (id, unit) in tree {
                try upsert.execute(arguments: [id, unit.name, unit.kind, unit.parentId, unit.orgForm, paths[id]])
            }
            if !edits.isEmpty {
                report.changes = try replica.writeLocal(edits, db).count
            }
            return report
        }
    }

    /// The field writes that make the hub's `orgUnit` record match `unit`.
    private func orgUnitEdits(_ unit: HubOrgUnit, _ db: Database) throws -> [LocalEdit] {
        let key = RecordKey(type: "orgUnit", id: unit.id)
        let current = try replica.record(key, db)?.values ?? [:]
        let wanted: [String: FieldValue] = [
            "name": .string(unit.name), "kind": .string(unit.kind),
            "parentId": unit.parentId.map(FieldValue.string) ?? .null, "orgForm": unit.orgForm.map(FieldValue.string) ?? .null,
        ]
        var edits: [LocalEdit] = []
        for (field, value) in wanted.sorted(by: { $0.key < $1.key }) where (current[field] ?? .null) != value {
            if value == .null && current[field] == nil { continue }
            edits.append(LocalEdit(key: FieldKey(type: key.type, id: key.id, field: field), scope: unit.id, value: value))
        }
        return edits
    }

    public func orgUnits() async throws -> [HubOrgUnit] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, kind, parent, org_form, path FROM org_units ORDER BY path").map {
                HubOrgUnit(id: $0[0], name: $0[1], kind: $0[2], parentId: $0[3], orgForm: $0[4], path: $0[5])
            }
        }
    }

    public func scope(of org: String) async throws -> StationScope {
        try await read { db in try Self.scope(of: org, db) }
    }

    /// The scope of org unit `org`; empty when the unit is unknown.
    static func scope(of org: String, _ db: Database) throws -> StationScope {
        guard let path = try String.fetchOne(db, sql: "SELECT path FROM org_units WHERE id = ?", arguments: [org]) else {
            return StationScope(subtree: [], ancestors: [])
        }
        let subtree = try String.fetchAll(
            db, sql: "SELECT id FROM org_units WHERE substr(path, 1, ?) = ?", arguments: [path.utf8.count, path])
        let ancestors = path.split(separator: "/").map(String.init).filter { $0 != org }
        return StationScope(subtree: Set(subtree), ancestors: Set(ancestors))
    }
}

/// Org tree rules shared by the importer and the store.
public enum OrgTree {
    /// The materialised path of every unit (`/root/child/`), checking that every parent
    /// exists and that there is no cycle.
    public static func paths(of units: [String: HubOrgUnit]) throws(SyncError) -> [String: String] {
        var paths: [String: String] = [:]
        for id in units.keys.sorted() {
            var chain: [String] = []
            var seen: Set<String> = []
            var current: String? = id
            while let unit = current, paths[unit] == nil {
                guard let entry = units[unit] else {
                    throw SyncError(.notFound, "org unit \"\(chain.last ?? id)\" names parent \"\(unit)\", which is not in the tree")
                }
                guard seen.insert(unit).inserted else {
                    throw SyncError(.badRequest, "org units \(chain.joined(separator: " → ")) form a cycle")
                }
                chain.append(unit)
                current = entry.parentId
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
