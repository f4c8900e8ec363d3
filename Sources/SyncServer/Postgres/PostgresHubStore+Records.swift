import SyncModel
import PostgresNIO

/// Reading records' merged state: rows, snapshot records (fields and superseded versions of
/// many records in two queries) and the hub's state of records as a station sees them.
extension PostgresHubStore {
    /// The rows of `keys` the hub holds.
    static func recordRows(_ keys: some Collection<RecordKey>, _ tx: PostgresTransaction) async throws -> [RecordKey: RecordRowState] {
        guard !keys.isEmpty else { return [:] }
        let list = Array(keys)
        var rows: [RecordKey: RecordRowState] = [:]
        for row in try await tx.rows(
            """
            SELECT r.type, r.rid, r.scope, r.scope2, r.deleted FROM records r
            JOIN unnest(\(list.map(\.type)), \(list.map(\.id))) AS u(t, i) ON r.type = u.t AND r.rid = u.i
            """)
        {
            let (type, rid, scope, scope2, deleted) = try row.decode((String, String, String, String?, Int32).self)
            rows[RecordKey(type: type, id: rid)] = RecordRowState(place: RecordPlace(scope: scope, scope2: scope2), deleted: deleted != 0)
        }
        return rows
    }

    /// Snapshot records of `records` (with their places and visibilities), in the order given;
    /// records without any field state are left out.
    static func snapshotRecords(
        _ records: [(key: RecordKey, scope: String, visibility: Visibility)], schema: Schema, _ tx: PostgresTransaction
    ) async throws -> [SnapshotRecord] {
        guard !records.isEmpty else { return [] }
        let types = records.map(\.key.type), ids = records.map(\.key.id)
        var fields: [RecordKey: [SnapshotField]] = [:]
        for row in try await tx.rows(
            """
            SELECT f.type, f.rid, f.field, f.elem, f.hlc, f.site, f.value::text, f.heads FROM fields f
            JOIN unnest(\(types), \(ids)) AS u(t, i) ON f.type = u.t AND f.rid = u.i
            ORDER BY f.type, f.rid, f.field, f.elem
            """)
        {
            let (type, rid, field, elem, hlc, site, value, heads) = try row.decode((String, String, String, String, Int64, Int64, String, String?).self)
            let kind = elem.isEmpty ? schema.field(field, of: type)?.kind : nil
            guard let state = PostgresValues.state(hlc: hlc, site: site, value: value, heads: heads, kind: kind) else { continue }
            fields[RecordKey(type: type, id: rid), default: []].append(
                SnapshotField(field: field, element: elem.isEmpty ? nil : elem, heads: state.heads, superseded: []))
        }
        var superseded: [RecordKey: [String: [Version]]] = [:]
        for row in try await tx.rows(
            """
            SELECT s.type, s.rid, s.field, s.hlc, s.site FROM superseded s
            JOIN unnest(\(types), \(ids)) AS u(t, i) ON s.type = u.t AND s.rid = u.i
            """)
        {
            let (type, rid, field, hlc, site) = try row.decode((String, String, String, Int64, Int64).self)
            superseded[RecordKey(type: type, id: rid), default: [:]][field, default: []].append(PostgresValues.version(hlc, site))
        }
        return records.compactMap { record in
            var kept: [SnapshotField] = []
            for var field in fields[record.key] ?? [] {
                if record.visibility == .withoutPersonal, schema.field(field.field, of: record.key.type)?.personal == true { continue }
                if field.element == nil { field.superseded = sqliteOrder(superseded[record.key]?[field.field] ?? []) }
                kept.append(field)
            }
            guard !kept.isEmpty else { return nil }
            return SnapshotRecord(type: record.key.type, id: record.key.id, scope: record.scope, fields: kept)
        }
    }

    /// Versions in the order the SQLite store lists them (by the signed bit patterns of
    /// clock and site), so that both stores answer byte for byte alike.
    static func sqliteOrder(_ versions: [Version]) -> [Version] {
        versions.sorted {
            (Int64(bitPattern: $0.hlc.rawValue), Int64(bitPattern: $0.site.rawValue)) < (Int64(bitPattern: $1.hlc.rawValue), Int64(bitPattern: $1.site.rawValue))
        }
    }

    /// The hub's state of each record, as its visibility says, in (type, id) order.
    static func states(of records: [RecordKey: Visibility], schema: Schema, _ tx: PostgresTransaction) async throws -> [SnapshotRecord] {
        let rows = try await recordRows(records.keys, tx)
        let wanted = records.sorted { $0.key < $1.key }.compactMap { key, visibility in
            rows[key].map { (key: key, scope: $0.place.scope, visibility: visibility) }
        }
        return try await snapshotRecords(wanted, schema: schema, tx)
    }

    /// The hub's state of `records` as a station with `scope` sees them, in (type, id) order;
    /// records it does not see are left out.
    static func currentState(of records: Set<RecordKey>, for scope: StationScope, schema: Schema, _ tx: PostgresTransaction) async throws
        -> [SnapshotRecord]
    {
        let rows = try await recordRows(records, tx)
        let wanted = records.sorted().compactMap { key -> (key: RecordKey, scope: String, visibility: Visibility)? in
            guard let row = rows[key] else { return nil }
            let visibility = scope.visibility(of: row.place)
            return visibility == .hidden ? nil : (key, row.place.scope, visibility)
        }
        return try await snapshotRecords(wanted, schema: schema, tx)
    }

    /// The hub's org tree as a value.
    static func orgTree(_ tx: PostgresTransaction) async throws -> OrgTree {
        var parents: [String: String?] = [:]
        for row in try await tx.rows("SELECT id, parent FROM org_units") {
            let (id, parent) = try row.decode((String, String?).self)
            parents[id] = .some(parent)
        }
        return OrgTree(parents: parents)
    }

    /// Where the log stands (``PullMachine/Begin``), as this transaction sees it.
    static func begin(_ tx: PostgresTransaction) async throws -> PullMachine.Begin {
        var (last, clock): (Int64, Int64) = (0, 0)
        if let head = try await tx.rows("SELECT last, clock FROM log_head WHERE id = 1").first {
            (last, clock) = try head.decode((Int64, Int64).self)
        }
        let epoch = try await tx.rows("SELECT value FROM meta WHERE key = 'log_epoch'").first.map { try $0.decode(String.self) }
        return PullMachine.Begin(lastPosition: last, tree: try await orgTree(tx), clock: HLC(rawValue: UInt64(bitPattern: clock)), epoch: epoch)
    }
}
