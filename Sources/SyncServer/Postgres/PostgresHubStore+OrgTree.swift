public import SyncModel
package import SyncStore
import PostgresNIO

extension PostgresHubStore {
    public func importOrgUnits(_ units: [HubOrgUnit]) async throws -> OrgImportReport {
        let schema = self.schema
        let hubSite = siteID
        let wall = now
        return try await write { tx in
            // The hub's own site, then the records it writes, then (for its clock) the head.
            try await tx.execute("SELECT pg_advisory_xact_lock(\(Int64(bitPattern: hubSite.rawValue)))")
            let merge = PostgresMerge(schema: schema, tx: tx)
            // The schema's org unit type (county-work's `orgUnit`); none: the tree is kept in
            // `org_units` only.
            let unitType = schema.orgUnitType
            let unitFields = unitType.flatMap { schema.types[$0]?.fields } ?? [:]
            if let unitType { try await merge.lock(Set(units.map { RecordKey(type: unitType, id: $0.id) })) }
            var tree: [String: HubOrgUnit] = [:]
            for row in try await tx.rows("SELECT id, name, kind, parent, org_form, path FROM org_units") {
                let (id, name, kind, parent, form, path) = try row.decode((String, String, String, String?, String?, String).self)
                tree[id] = HubOrgUnit(id: id, name: name, kind: kind, parentId: parent, orgForm: form, path: path)
            }
            let before = tree
            for unit in units { tree[unit.id] = unit }
            let paths = try OrgTree(parents: tree.mapValues { $0.parentId }).materialisedPaths()
            var current: [String: [String: FieldValue]] = [:]
            if let unitType { current = try await Self.winners(of: units.map(\.id), type: unitType, schema: schema, tx) }
            var report = OrgImportReport()
            var edits: [(key: FieldKey, scope: String, value: FieldValue)] = []
            for unit in units {
                if let old = before[unit.id] {
                    let same = old.name == unit.name && old.kind == unit.kind && old.parentId == unit.parentId && old.orgForm == unit.orgForm
                    if same { report.unchanged += 1 } else { report.updated += 1 }
                } else {
                    report.added += 1
                }
                guard let unitType else { continue }
                var wanted: [String: FieldValue] = [
                    "name": .string(unit.name), "kind": .string(unit.kind), "orgForm": unit.orgForm.map(FieldValue.string) ?? .null,
                ]
                if let parentField = schema.orgUnitParentField { wanted[parentField] = unit.parentId.map(FieldValue.string) ?? .null }
                let values = current[unit.id] ?? [:]
                for (field, value) in wanted.sorted(by: { $0.key < $1.key }) where unitFields[field] != nil && (values[field] ?? .null) != value {
                    if value == .null && values[field] == nil { continue }
                    edits.append((FieldKey(type: unitType, id: unit.id, field: field), unit.id, value))
                }
            }
            let ids = tree.keys.sorted()
            try await tx.execute(
                """
                INSERT INTO org_units (id, name, kind, parent, org_form, path)
                SELECT i, n, k, CASE WHEN pn THEN NULL ELSE p END, CASE WHEN fn THEN NULL ELSE f END, pa
                FROM unnest(\(ids), \(ids.map { tree[$0]!.name }), \(ids.map { tree[$0]!.kind }), \(ids.map { tree[$0]!.parentId ?? "" }),
                    \(ids.map { tree[$0]!.parentId == nil }), \(ids.map { tree[$0]!.orgForm ?? "" }), \(ids.map { tree[$0]!.orgForm == nil }),
                    \(ids.map { paths[$0] ?? "" })) AS u(i, n, k, p, pn, f, fn, pa)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent = excluded.parent,
                    org_form = excluded.org_form, path = excluded.path
                """)
            if !edits.isEmpty {
                report.changes = try await Self.writeLocal(edits, site: hubSite, wallMillis: wall, schema: schema, tx).count
            }
            return report
        }
    }

    /// The winning value of each field of the org unit records `ids` (of type `type`).
    static func winners(of ids: [String], type: String, schema: Schema, _ tx: PostgresTransaction) async throws -> [String: [String: FieldValue]] {
        var values: [String: [String: FieldValue]] = [:]
        for row in try await tx.rows("SELECT rid, field, value::text FROM fields WHERE type = \(type) AND elem = '' AND rid = ANY(\(ids))") {
            let (rid, field, value) = try row.decode((String, String, String).self)
            values[rid, default: [:]][field] = PostgresValues.value(value, kind: schema.field(field, of: type)?.kind)
        }
        return values
    }

    /// Records the hub's own edits as changes of its site (the next seqs, fresh clock values;
    /// an lww write's base is the winner it overwrites) and merges them, as a station records
    /// its local edits. The caller holds the hub site's lock and the records' locks.
    static func writeLocal(
        _ edits: [(key: FieldKey, scope: String, value: FieldValue)], settles: Set<FieldKey> = [], site: SiteID, wallMillis: UInt64, schema: Schema,
        _ tx: PostgresTransaction
    ) async throws -> [Change] {
        // A replica's own clock may run ahead of its wall clock; its own writes are not held
        // to the clock guard, which protects receivers.
        let context = ValidationContext(wallMillis: wallMillis, maxDriftMillis: .max)
        var nextSeq = try await tx.rows("SELECT value FROM meta WHERE key = 'next_seq'").first.flatMap { UInt64(try $0.decode(String.self)) } ?? 1
        let head = try await tx.lockHead()
        var clock = HybridLogicalClock(last: head.clock)
        var written = edits.map { edit -> Change in
            defer { nextSeq += 1 }
            return Change(
                site: site, seq: nextSeq, hlc: clock.now(wallMillis: wallMillis), type: edit.key.type, id: edit.key.id, scope: edit.scope,
                field: edit.key.field, element: edit.key.element, value: edit.value)
        }
        let source = try await PostgresMergeSource.load(for: written, schema: schema, tx)
        for index in written.indices {
            if schema.types[written[index].type]?.effectivePolicy(of: written[index].field) == .lww,
                let heads = try source.fieldState(written[index].key)?.heads
            {
                written[index].bases = settles.contains(written[index].key) ? heads.map(\.version) : [heads[0].version]
            }
            written[index] = try schema.validate(written[index], in: context)
        }
        try await PostgresMerge(schema: schema, tx: tx).merge(written, wallMillis: wallMillis)
        tx.setClock(clock.last)
        try await tx.execute(
            """
            INSERT INTO meta (key, value) VALUES ('next_seq', \(String(nextSeq)))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """)
        return written
    }

    /// Records edits as the hub's own changes (as ``SQLiteHubStore``'s replica `writeLocal`
    /// does), for tests and tools.
    package func writeLocal(_ edits: [LocalEdit]) async throws -> [Change] {
        let schema = self.schema
        let hubSite = siteID
        let wall = now
        return try await write { tx in
            try await tx.execute("SELECT pg_advisory_xact_lock(\(Int64(bitPattern: hubSite.rawValue)))")
            try await PostgresMerge(schema: schema, tx: tx).lock(Set(edits.map(\.key.record)))
            return try await Self.writeLocal(
                edits.map { ($0.key, $0.scope, $0.value) }, settles: Set(edits.filter(\.settles).map(\.key)), site: hubSite, wallMillis: wall,
                schema: schema, tx)
        }
    }

    /// Where a record lies, `nil` when the hub holds no row of it (tests and tools).
    package func place(of key: RecordKey) async throws -> RecordPlace? {
        try await read { tx in try await Self.recordRows([key], tx)[key]?.place }
    }

    /// The merged state of one record, `nil` when the hub holds none of it (tests and tools).
    package func record(_ key: RecordKey) async throws -> RecordState? {
        let schema = self.schema
        return try await read { tx in
            try await Self.snapshotRecords([(key, "", .whole)], schema: schema, tx).first?.recordState
        }
    }

    public func orgUnits() async throws -> [HubOrgUnit] {
        try await read { tx in
            try await tx.rows("SELECT id, name, kind, parent, org_form, path FROM org_units ORDER BY path").map { row in
                let (id, name, kind, parent, form, path) = try row.decode((String, String, String, String?, String?, String).self)
                return HubOrgUnit(id: id, name: name, kind: kind, parentId: parent, orgForm: form, path: path)
            }
        }
    }

    public func records(ofType type: String) async throws -> [HubRecord] {
        let schema = self.schema
        return try await read { tx in
            var places: [(key: RecordKey, scope: String, visibility: Visibility)] = []
            var placeOf: [String: RecordPlace] = [:]
            for row in try await tx.rows("SELECT rid, scope, scope2 FROM records WHERE type = \(type) AND deleted = 0 ORDER BY rid") {
                let (rid, scope, scope2) = try row.decode((String, String, String?).self)
                places.append((RecordKey(type: type, id: rid), scope, .whole))
                placeOf[rid] = RecordPlace(scope: scope, scope2: scope2)
            }
            return try await Self.snapshotRecords(places, schema: schema, tx).compactMap { record in
                placeOf[record.id].map { HubRecord(state: record.recordState, place: $0) }
            }
        }
    }

    public func scope(of org: String) async throws -> StationScope {
        try await read { tx in try await Self.orgTree(tx).scope(of: org) }
    }
}
