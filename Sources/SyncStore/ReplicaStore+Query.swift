public import SyncModel
package import GRDB

extension ReplicaStore {
    /// The merged state of one record, or `nil` if the replica holds no write of it.
    public func record(_ key: RecordKey) throws(SyncError) -> RecordState? {
        try read { db in try record(key, db) }
    }

    package func record(_ key: RecordKey, _ db: Database) throws -> RecordState? {
        let rows = try Row.fetchAll(
            db, sql: "SELECT field, elem, hlc, site, value, heads FROM fields WHERE type = ? AND rid = ?",
            arguments: [key.type, key.id])
        guard !rows.isEmpty else { return nil }
        var record = RecordState(key: key)
        for row in rows { add(row, to: &record) }
        return record
    }

    /// Adds a `fields` row selected as (field, elem, hlc, site, value, heads) to a record.
    func add(_ row: Row, to record: inout RecordState, offset: Int = 0) {
        let field: String = row[offset]
        let elem: String = row[offset + 1]
        let kind = elem.isEmpty ? schema.storedKind(type: record.key.type, field: field) : nil
        guard let state = Self.fieldState(row, kind: kind, offset: offset + 2) else { return }
        record.set(state, for: FieldKey(type: record.key.type, id: record.key.id, field: field, element: elem.isEmpty ? nil : elem))
    }

    /// Records of `type` in id order (UTF-8), live ones only unless `includeDeleted`.
    ///
    /// - Parameters:
    ///   - matching: field values a record must show (all of them) to be listed.
    ///   - limit: the most records to return.
    public func records(
        ofType type: String, matching: [String: FieldValue] = [:], includeDeleted: Bool = false, limit: Int = .max
    ) throws(SyncError) -> [RecordState] {
        try read { db in try records(ofType: type, matching: matching, includeDeleted: includeDeleted, limit: limit, db) }
    }

    /// Records of `type` in id order (UTF-8) inside the caller's transaction; see
    /// ``records(ofType:matching:includeDeleted:limit:)``.
    package func records(
        ofType type: String, matching: [String: FieldValue] = [:], includeDeleted: Bool = false, limit: Int = .max, _ db: Database
    ) throws -> [RecordState] {
        var result: [RecordState] = []
        let cursor = try Row.fetchCursor(
            db,
            sql: "SELECT rid, field, elem, hlc, site, value, heads FROM fields WHERE type = ? ORDER BY rid, field, elem",
            arguments: [type])
        var current: RecordState?
        func flush() {
            guard let record = current else { return }
            current = nil
            guard includeDeleted || !record.isDeleted else { return }
            let values = record.values
            guard matching.allSatisfy({ values[$0.key] == $0.value }) else { return }
            result.append(record)
        }
        while let row = try cursor.next() {
            let id: String = row[0]
            if current?.key.id != id {
                flush()
                if result.count >= limit { break }
                current = RecordState(key: RecordKey(type: type, id: id))
            }
            add(row, to: &current!, offset: 1)
        }
        if result.count < limit { flush() }
        return result
    }

    /// Every open conflict the replica holds, sorted.
    public func conflicts() throws(SyncError) -> [Conflict] {
        try read { db in
            let keys = try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT type, rid FROM fields WHERE heads IS NOT NULL
                    UNION SELECT type, rid FROM records WHERE deleted = 1
                    """
            ).map { RecordKey(type: $0[0], id: $0[1]) }
            var conflicts: [Conflict] = []
            for key in keys {
                guard let record = try record(key, db) else { continue }
                conflicts += record.conflicts { self.schema.types[key.type]?.effectivePolicy(of: $0) }
            }
            return conflicts.sorted()
        }
    }

    /// The org unit a record belongs to, as this replica holds it.
    public func scope(of key: RecordKey) throws(SyncError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT scope FROM records WHERE type = ? AND rid = ?", arguments: [key.type, key.id])
        }
    }

    /// How many records of each type the replica holds (live ones).
    public func recordCounts() throws(SyncError) -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT type, count(*) FROM records WHERE deleted = 0 GROUP BY type") {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }
}

extension ReplicaStore {
    /// The org tree as this replica holds it: every record of the schema's org unit type with
    /// the parent its parent field names (a replica holds the units its scope sees).
    package func orgTree(_ db: Database) throws -> OrgTree {
        guard let unitType = schema.orgUnitType else { return OrgTree() }
        var parents: [String: String?] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT r.rid, f.value FROM records r
                LEFT JOIN fields f ON f.type = r.type AND f.rid = r.rid AND f.field = ? AND f.elem = ''
                WHERE r.type = ?
                """,
            arguments: [schema.orgUnitParentField ?? "", unitType])
        {
            let parent: String? = row[1]
            parents[row[0]] = .some(parent)
        }
        return OrgTree(parents: parents)
    }
}
