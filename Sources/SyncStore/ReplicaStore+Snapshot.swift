public import SyncModel
import Crypto
package import GRDB

/// One row of the `records` table: a record, its org units and its deleted flag.
package struct RecordRow: Hashable, Sendable {
    /// The record.
    package var key: RecordKey
    /// The record's org unit.
    package var scope: String
    /// A further org unit that also sees the record (a transfer's destination).
    package var scope2: String?
    /// Whether the record is deleted.
    package var deleted: Bool

    /// Creates a row value.
    package init(key: RecordKey, scope: String, scope2: String?, deleted: Bool) {
        self.key = key
        self.scope = scope
        self.scope2 = scope2
        self.deleted = deleted
    }

    /// Where the record lies in the org tree.
    package var place: RecordPlace { RecordPlace(scope: scope, scope2: scope2) }
}

/// One page of snapshot records read by ``ReplicaStore/snapshotRecords(after:limit:include:_:)``.
package struct SnapshotRead: Sendable {
    /// The records included, in (type, id) order.
    package var records: [SnapshotRecord]
    /// The last record examined (included or not): where the next page starts; `nil` when
    /// every record has been examined.
    package var next: RecordKey?
}

extension ReplicaStore {
    /// Reads the current state of records after `after` in (type, id) order, keeping those
    /// `include` accepts, until `limit` records are collected or none remain.
    ///
    /// Each record comes with every field state (heads, greatest first) and, for `lww`
    /// fields, the versions known writes superseded, so that ``install(_:_:)`` on another
    /// replica reproduces the same merged state. Records without any field state are skipped.
    package func snapshotRecords(
        after: RecordKey?, limit: Int, include: (RecordRow) -> Visibility, _ db: Database
    ) throws -> SnapshotRead {
        let rows: RowCursor
        if let after {
            rows = try Row.fetchCursor(
                db,
                sql: "SELECT type, rid, scope, scope2, deleted FROM records WHERE (type, rid) > (?, ?) ORDER BY type, rid",
                arguments: [after.type, after.id])
        } else {
            rows = try Row.fetchCursor(db, sql: "SELECT type, rid, scope, scope2, deleted FROM records ORDER BY type, rid")
        }
        var result = SnapshotRead(records: [], next: nil)
        while let row = try rows.next() {
            let record = RecordRow(key: RecordKey(type: row[0], id: row[1]), scope: row[2], scope2: row[3], deleted: row[4])
            result.next = record.key
            let inclusion = include(record)
            if case .hidden = inclusion { continue }
            if let snapshot = try snapshotRecord(record, inclusion: inclusion, db) {
                result.records.append(snapshot)
                if result.records.count >= limit { return result }
            }
        }
        result.next = nil
        return result
    }

    /// The `records` row of one record, if the replica holds it.
    package func recordRow(_ key: RecordKey, _ db: Database) throws -> RecordRow? {
        let statement = try db.cachedStatement(sql: "SELECT scope, scope2, deleted FROM records WHERE type = ? AND rid = ?")
        guard let row = try Row.fetchOne(statement, arguments: [key.type, key.id]) else { return nil }
        return RecordRow(key: key, scope: row[0], scope2: row[1], deleted: row[2])
    }

    /// The current state of one record as a snapshot record, or `nil` if it has no field state.
    package func snapshotRecord(_ record: RecordRow, inclusion: Visibility, _ db: Database) throws -> SnapshotRecord? {
        let key = record.key
        let fieldRows = try Row.fetchAll(
            try db.cachedStatement(
                sql: "SELECT field, elem, hlc, site, value, heads FROM fields WHERE type = ? AND rid = ? ORDER BY field, elem"),
            arguments: [key.type, key.id])
        var superseded: [String: [Version]] = [:]
        for row in try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT field, hlc, site FROM superseded WHERE type = ? AND rid = ? ORDER BY field, hlc, site"),
            arguments: [key.type, key.id])
        {
            superseded[row[0], default: []].append(
                Version(hlc: HLC(rawValue: UInt64(bits: row[1])), site: SiteID(rawValue: UInt64(bits: row[2]))))
        }
        var fields: [SnapshotField] = []
        for row in fieldRows {
            let field: String = row[0]
            let elem: String = row[1]
            if case .withoutPersonal = inclusion, schema.field(field, of: key.type)?.personal == true { continue }
            let kind = elem.isEmpty ? schema.storedKind(type: key.type, field: field) : nil
            guard let state = Self.fieldState(row, kind: kind, offset: 2) else { continue }
            fields.append(
                SnapshotField(
                    field: field, element: elem.isEmpty ? nil : elem, heads: state.heads,
                    superseded: elem.isEmpty ? superseded[field] ?? [] : []))
        }
        guard !fields.isEmpty else { return nil }
        return SnapshotRecord(type: key.type, id: key.id, scope: record.scope, fields: fields)
    }

    /// Installs snapshot records (from a hub's snapshot or a pull's moved-in records) in one
    /// transaction; see ``install(_:_:)``.
    public func install(_ records: [SnapshotRecord]) throws(SyncError) {
        try write { db in try self.install(records, db) }
    }

    /// Folds snapshot records into this replica inside the caller's transaction.
    ///
    /// Each head is merged into the field's state as a write would be, and the superseded
    /// versions are remembered, so installing is idempotent and commutes with applying the
    /// changes the snapshot already reflects. On a fresh replica the result is exactly the
    /// source's state: the same `digest()` over the same records. No log entry is written.
    package func install(_ records: [SnapshotRecord], _ db: Database) throws {
        var newest = HLC.zero
        var merger = try Merger(self, db)
        for record in records {
            try merger.install(record)
            for field in record.fields { for head in field.heads { newest = max(newest, head.version.hlc) } }
        }
        try merger.finish()
        if newest > .zero {
            let wall = wallClock.nowMillis()
            try updateClock(db) { $0.receive(newest, wallMillis: wall) }
        }
    }

    /// Lowercase hex SHA-256 of `bytes` (the hub stores station tokens only as this hash).
    package static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(bytes)).hex
    }
}

extension SnapshotRecord {
    /// The record's merged state as a replica holds it.
    package var recordState: RecordState {
        var state = RecordState(key: RecordKey(type: type, id: id))
        for field in fields {
            guard let fieldState = FieldState(heads: field.heads) else { continue }
            state.set(fieldState, for: FieldKey(type: type, id: id, field: field.field, element: field.element))
        }
        return state
    }
}

/// The digest of a view fed record by record in canonical order (SPEC §6): what a replica
/// holding exactly those records reports as its `digest()`; with the digest of each record
/// alone, when asked for, to name the records two replicas hold differently.
package struct ViewDigest {
    private var hasher = SHA256()
    private var dump: CanonicalDump
    private let schema: Schema
    /// Each record's own digest, when ``perRecord`` was asked for.
    package private(set) var records: [RecordDigest] = []
    private let perRecord: Bool

    /// Starts an empty view.
    package init(schema: Schema, perRecord: Bool = false) {
        self.schema = schema
        self.dump = CanonicalDump(schema: schema)
        self.perRecord = perRecord
    }

    /// Adds the next records, in canonical order.
    package mutating func add(_ snapshots: [SnapshotRecord]) {
        for snapshot in snapshots {
            let record = snapshot.recordState
            dump.add(record)
            if perRecord {
                var alone = CanonicalDump(schema: schema)
                alone.add(record)
                var single = SHA256()
                single.update(data: alone.drain())
                single.update(data: alone.finish())
                records.append(RecordDigest(type: record.key.type, id: record.key.id, digest: single.finalize().hex))
            }
        }
        hasher.update(data: dump.drain())
    }

    /// The view's digest and record count.
    package mutating func finish() -> (digest: String, records: Int) {
        let count = dump.count
        hasher.update(data: dump.finish())
        return (hasher.finalize().hex, count)
    }
}
