import SyncModel
import PostgresNIO

/// The merge on PostgreSQL: a batch's needs are loaded in a few round trips (every field
/// key and record row of its changes, the superseded membership of its lww versions), the
/// batch is folded in memory with SyncModel's ``MergeFold`` — the one merge — and its result
/// written in bulk. The records a batch merges are locked first (transaction-level advisory
/// locks in one sorted order), so two hub processes merging one record take turns.
struct PostgresMerge {
    let schema: Schema
    let tx: PostgresTransaction

    /// Checks and merges received changes: validation refusals and duplicates (changes the
    /// log holds by origin) are reported; the rest is merged and queued for the log.
    func apply(_ changes: [Change], context: ValidationContext) async throws -> ApplyReport {
        var report = ApplyReport()
        var valid: [Change] = []
        for change in changes {
            do {
                valid.append(try schema.validate(change, in: context))
            } catch {
                report.refused.append(Refusal(origin: change.origin, error: error))
            }
        }
        var logged: Set<ChangeOrigin> = []
        for (site, group) in Dictionary(grouping: valid, by: \.site) {
            for row in try await tx.rows(
                "SELECT seq FROM log WHERE site = \(Int64(bitPattern: site.rawValue)) AND seq = ANY(\(group.map { Int64(bitPattern: $0.seq) }))")
            {
                logged.insert(ChangeOrigin(site: site, seq: UInt64(bitPattern: try row.decode(Int64.self))))
            }
        }
        var fresh: [Change] = []
        var seen: Set<ChangeOrigin> = []
        for change in valid {
            if logged.contains(change.origin) || !seen.insert(change.origin).inserted {
                report.duplicates.append(change.origin)
            } else {
                fresh.append(change)
                report.applied.append(change.origin)
            }
        }
        try await merge(fresh, wallMillis: context.wallMillis)
        return report
    }

    /// Folds valid, new changes into the merged state and queues them for the log.
    func merge(_ changes: [Change], wallMillis: UInt64) async throws {
        guard !changes.isEmpty else { return }
        try await lock(Set(changes.map(\.record)))
        let source = try await PostgresMergeSource.load(for: changes, schema: schema, tx)
        var fold = MergeFold(schema: schema, source: source)
        var newest = HLC.zero
        for change in changes {
            try fold.merge(change)
            newest = max(newest, change.hlc)
        }
        try await write(fold.result)
        tx.wallMillis = wallMillis
        try await tx.appendLog(changes, newest: newest)
    }

    /// Locks records for the rest of the transaction, in one global order (no lock cycles).
    func lock(_ records: Set<RecordKey>) async throws {
        let keys = Set(records.map { Self.lockKey($0) }).sorted()
        guard !keys.isEmpty else { return }
        try await tx.execute("SELECT count(pg_advisory_xact_lock(1, k)) FROM unnest(\(keys)) AS u(k)")
    }

    /// A record's advisory lock key (FNV-1a of type and id; a collision only serialises more).
    static func lockKey(_ record: RecordKey) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in record.type.utf8 + [0] + record.id.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int32(bitPattern: hash)
    }

    /// Writes a fold's result in bulk, then refreshes the report facts of the records it changed.
    /// The fold knows which keys and rows the store held (it read them under the records'
    /// locks), so new ones are plain inserts and held ones plain updates: no speculative
    /// insertion, and a key that exists where the fold saw none fails the transaction rather
    /// than being overwritten.
    func write(_ result: MergeResult) async throws {
        var insert = FieldColumns()
        var update = FieldColumns()
        var delete = FieldColumns()
        for write in result.fields {
            if let state = write.state {
                if write.existed { update.add(write.key, state: state) } else { insert.add(write.key, state: state) }
            } else if write.existed {
                delete.add(write.key, state: nil)
            }
        }
        if !delete.types.isEmpty {
            try await tx.execute(
                """
                DELETE FROM fields f USING unnest(\(delete.types), \(delete.ids), \(delete.fields), \(delete.elements)) AS u(t, r, fl, e)
                WHERE f.type = u.t AND f.rid = u.r AND f.field = u.fl AND f.elem = u.e
                """)
        }
        if !update.types.isEmpty {
            try await tx.execute(
                """
                UPDATE fields f SET hlc = u.h, site = u.s, value = u.v::jsonb, heads = CASE WHEN u.hd = '' THEN NULL ELSE u.hd END
                FROM unnest(\(update.types), \(update.ids), \(update.fields), \(update.elements), \(update.hlcs), \(update.sites), \(update.values),
                    \(update.heads)) AS u(t, r, fl, e, h, s, v, hd)
                WHERE f.type = u.t AND f.rid = u.r AND f.field = u.fl AND f.elem = u.e
                """)
        }
        if !insert.types.isEmpty {
            try await Self.unique {
                try await tx.execute(
                    """
                    INSERT INTO fields (type, rid, field, elem, hlc, site, value, heads)
                    SELECT t, r, fl, e, h, s, v::jsonb, CASE WHEN hd = '' THEN NULL ELSE hd END
                    FROM unnest(\(insert.types), \(insert.ids), \(insert.fields), \(insert.elements), \(insert.hlcs), \(insert.sites), \(insert.values),
                        \(insert.heads)) AS u(t, r, fl, e, h, s, v, hd)
                    """)
            }
        }
        if !result.superseded.isEmpty {
            let entries = result.superseded
            try await tx.execute(
                """
                INSERT INTO superseded (type, rid, field, hlc, site)
                SELECT * FROM unnest(\(entries.map(\.key.type)), \(entries.map(\.key.id)), \(entries.map(\.key.field)),
                    \(entries.map { Int64(bitPattern: $0.version.hlc.rawValue) }), \(entries.map { Int64(bitPattern: $0.version.site.rawValue) }))
                ON CONFLICT DO NOTHING
                """)
        }
        let held = RowColumns(result.rows.filter(\.existed)), new = RowColumns(result.rows.filter { !$0.existed })
        if !held.types.isEmpty {
            try await tx.execute(
                """
                UPDATE records x SET scope = u.s, scope2 = CASE WHEN u.n THEN NULL ELSE u.s2 END, deleted = u.d
                FROM unnest(\(held.types), \(held.ids), \(held.scopes), \(held.scopes2), \(held.noScope2), \(held.deleted)) AS u(t, r, s, s2, n, d)
                WHERE x.type = u.t AND x.rid = u.r
                """)
        }
        if !new.types.isEmpty {
            try await Self.unique {
                try await tx.execute(
                    """
                    INSERT INTO records (type, rid, scope, scope2, deleted)
                    SELECT t, r, s, CASE WHEN n THEN NULL ELSE s2 END, d
                    FROM unnest(\(new.types), \(new.ids), \(new.scopes), \(new.scopes2), \(new.noScope2), \(new.deleted)) AS u(t, r, s, s2, n, d)
                    """)
            }
        }
        try await PostgresReportFacts.refresh(result.changedRecords, tx)
    }
}

extension PostgresMerge {
    /// Runs an insert of rows the merge found absent: a unique violation means another writer
    /// holds one of them after all — a broken lock, never to be papered over by an overwrite.
    static func unique(_ insert: () async throws -> Void) async throws {
        do {
            try await insert()
        } catch where PostgresErrors.sqlState(error) == "23505" {
            throw SyncError(.internalError, "the hub found a row it was about to create already written by another transaction; nothing was kept — retry")
        }
    }
}

/// Record rows as column arrays for one `unnest` statement.
struct RowColumns {
    var types: [String] = [], ids: [String] = [], scopes: [String] = [], scopes2: [String] = []
    var noScope2: [Bool] = [], deleted: [Int64] = []

    init(_ rows: [MergeResult.RowWrite]) {
        for write in rows {
            types.append(write.record.type)
            ids.append(write.record.id)
            scopes.append(write.row.place.scope)
            scopes2.append(write.row.place.scope2 ?? "")
            noScope2.append(write.row.place.scope2 == nil)
            deleted.append(write.row.deleted ? 1 : 0)
        }
    }
}

/// Field keys and states as column arrays for one `unnest` statement.
struct FieldColumns {
    var types: [String] = []
    var ids: [String] = []
    var fields: [String] = []
    var elements: [String] = []
    var hlcs: [Int64] = []
    var sites: [Int64] = []
    var values: [String] = []
    var heads: [String] = []

    mutating func add(_ key: FieldKey, state: FieldState?) {
        types.append(key.type)
        ids.append(key.id)
        fields.append(key.field)
        elements.append(key.element ?? "")
        if let state {
            hlcs.append(Int64(bitPattern: state.winner.version.hlc.rawValue))
            sites.append(Int64(bitPattern: state.winner.version.site.rawValue))
            values.append(CanonicalJSON.text(of: state.winner.value))
            heads.append(PostgresValues.heads(state.heads.dropFirst()) ?? "")
        }
    }
}

/// What a batch's fold reads, loaded before the fold in three queries.
struct PostgresMergeSource: MergeSource {
    var states: [FieldKey: FieldState] = [:]
    var rows: [RecordKey: RecordRowState] = [:]
    var superseded: Set<SupersededKey> = []
    var askable: Set<SupersededKey> = []

    struct SupersededKey: Hashable {
        var key: FieldKey
        var version: Version
    }

    static func load(for changes: [Change], schema: Schema, _ tx: PostgresTransaction) async throws -> PostgresMergeSource {
        var source = PostgresMergeSource()
        let records = Array(Set(changes.map(\.record)))
        for row in try await tx.rows(
            "SELECT type, rid, scope, scope2, deleted FROM records WHERE (type, rid) IN (SELECT * FROM unnest(\(records.map(\.type)), \(records.map(\.id))))")
        {
            let (type, rid, scope, scope2, deleted) = try row.decode((String, String, String, String?, Int32).self)
            source.rows[RecordKey(type: type, id: rid)] = RecordRowState(place: RecordPlace(scope: scope, scope2: scope2), deleted: deleted != 0)
        }
        let keys = Array(Set(changes.map(\.key)).filter { source.rows[$0.record] != nil })
        if !keys.isEmpty {
            for row in try await tx.rows(
                """
                SELECT f.type, f.rid, f.field, f.elem, f.hlc, f.site, f.value::text, f.heads FROM fields f
                JOIN unnest(\(keys.map(\.type)), \(keys.map(\.id)), \(keys.map(\.field)), \(keys.map { $0.element ?? "" })) AS u(t, r, fl, e)
                    ON f.type = u.t AND f.rid = u.r AND f.field = u.fl AND f.elem = u.e
                """)
            {
                let (type, rid, field, elem, hlc, site, value, heads) = try row.decode((String, String, String, String, Int64, Int64, String, String?).self)
                let key = FieldKey(type: type, id: rid, field: field, element: elem.isEmpty ? nil : elem)
                let kind = key.element == nil ? schema.field(field, of: type)?.kind : nil
                source.states[key] = PostgresValues.state(hlc: hlc, site: site, value: value, heads: heads, kind: kind)
            }
        }
        let lww = changes.filter { schema.types[$0.type]?.effectivePolicy(of: $0.field) == .lww && source.rows[$0.record] != nil }
        source.askable = Set(lww.map { SupersededKey(key: $0.key, version: $0.version) })
        if !lww.isEmpty {
            for row in try await tx.rows(
                """
                SELECT s.type, s.rid, s.field, s.hlc, s.site FROM superseded s
                JOIN unnest(\(lww.map(\.type)), \(lww.map(\.id)), \(lww.map(\.field)), \(lww.map { Int64(bitPattern: $0.hlc.rawValue) }),
                    \(lww.map { Int64(bitPattern: $0.site.rawValue) })) AS u(t, r, fl, h, st)
                    ON s.type = u.t AND s.rid = u.r AND s.field = u.fl AND s.hlc = u.h AND s.site = u.st
                """)
            {
                let (type, rid, field, hlc, site) = try row.decode((String, String, String, Int64, Int64).self)
                source.superseded.insert(SupersededKey(key: FieldKey(type: type, id: rid, field: field), version: PostgresValues.version(hlc, site)))
            }
        }
        return source
    }

    func fieldState(_ key: FieldKey) throws -> FieldState? { states[key] }

    func isSuperseded(_ version: Version, of key: FieldKey) throws -> Bool {
        let asked = SupersededKey(key: key, version: version)
        // A rule of the fold asked for what was not loaded: refuse rather than guess.
        guard askable.contains(asked) || rows[key.record] == nil else {
            throw SyncError(.internalError, "the merge asked for a superseded version the PostgreSQL store did not load; nothing was kept")
        }
        return superseded.contains(asked)
    }

    func recordRow(_ record: RecordKey) throws -> RecordRowState? { rows[record] }
}
