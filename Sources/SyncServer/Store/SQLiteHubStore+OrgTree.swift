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
            let paths = try OrgTree(parents: tree.mapValues { $0.parentId }).materialisedPaths()
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

    /// The field writes that make the hub's record of `unit` match it: a record of the schema's
    /// org unit type (county-work's `orgUnit`) with the fields that type has among `name`,
    /// `kind`, `orgForm` and its parent field. None when the schema has no org unit type.
    private func orgUnitEdits(_ unit: HubOrgUnit, _ db: Database) throws -> [LocalEdit] {
        let schema = self.schema
        guard let unitType = schema.orgUnitType, let fields = schema.types[unitType]?.fields else { return [] }
        let key = RecordKey(type: unitType, id: unit.id)
        let current = try replica.record(key, db)?.values ?? [:]
        var wanted: [String: FieldValue] = [
            "name": .string(unit.name), "kind": .string(unit.kind), "orgForm": unit.orgForm.map(FieldValue.string) ?? .null,
        ]
        if let parentField = schema.orgUnitParentField { wanted[parentField] = unit.parentId.map(FieldValue.string) ?? .null }
        var edits: [LocalEdit] = []
        for (field, value) in wanted.sorted(by: { $0.key < $1.key }) where fields[field] != nil && (current[field] ?? .null) != value {
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

    /// The scope of org unit `org`, by the shared rule over the hub's org tree; empty when the
    /// unit is unknown.
    static func scope(of org: String, _ db: Database) throws -> StationScope {
        try orgTree(db).scope(of: org)
    }

    /// The hub's org tree as a value.
    static func orgTree(_ db: Database) throws -> OrgTree {
        var parents: [String: String?] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, parent FROM org_units") {
            let parent: String? = row[1]
            parents[row[0]] = .some(parent)
        }
        return OrgTree(parents: parents)
    }
}
