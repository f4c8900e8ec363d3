public import SyncModel
package import GRDB

/// The merge work of one write transaction: appends changes to the log, folds them into
/// the fields and record rows, and remembers which records it changed so that derived
/// tables (``ReplicaStore/derivedTables``) are refreshed once per record at ``finish()``.
///
/// Statements are stepped through ``RawStatement``; a received change costs a log insert,
/// a field lookup and a field upsert, and a record row insert once per record per batch.
package struct Merger {
    let schema: Schema
    let derived: (any DerivedTables)?
    private let db: Database
    private let appendLog: RawStatement
    private let loadFieldRow: RawStatement
    private let saveFieldRow: RawStatement
    private let insertFieldRow: RawStatement
    private let updateFieldRow: RawStatement
    private let deleteFieldRow: RawStatement
    private let insertRecord: RawStatement
    private let updateScope: RawStatement
    private let updateScope2: RawStatement
    private let updateDeleted: RawStatement
    private let insertSuperseded: RawStatement
    private let findSuperseded: RawStatement
    /// Records whose row is known to exist in this transaction.
    private var existing: Set<RecordKey> = []
    /// The record whose `records` row this merger inserted last — it had no row, so it had no
    /// fields either (a record's fields and row come and go together) — with the field keys
    /// written since. Any other field of it has no row yet: merging into it needs no lookup.
    /// Most changes that create a record come together (a new time-bank entry's six fields).
    private var created: (record: RecordKey, written: [FieldKey])?
    /// Records whose fields or row this merger changed (tracked only when there are
    /// derived tables to refresh: a station has none, and hashing every key costs).
    private var changed: Set<RecordKey> = []

    package init(_ store: ReplicaStore, _ db: Database) throws {
        schema = store.schema
        derived = store.derivedTables
        self.db = db
        appendLog = try RawStatement(
            db,
            """
            INSERT INTO log (site, seq, hlc, type, rid, scope, field, elem, value, bases)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, seq) DO NOTHING
            """)
        loadFieldRow = try RawStatement(db, "SELECT hlc, site, value, heads FROM fields WHERE type = ? AND rid = ? AND field = ? AND elem = ?")
        saveFieldRow = try RawStatement(
            db,
            """
            INSERT INTO fields (type, rid, field, elem, hlc, site, value, heads) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (type, rid, field, elem) DO UPDATE SET
                hlc = excluded.hlc, site = excluded.site, value = excluded.value, heads = excluded.heads
            """)
        // When the caller has just read the row, it knows which of the two applies and
        // spares SQLite the upsert's second b-tree search.
        insertFieldRow = try RawStatement(
            db, "INSERT INTO fields (type, rid, field, elem, hlc, site, value, heads) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        updateFieldRow = try RawStatement(
            db, "UPDATE fields SET hlc = ?5, site = ?6, value = ?7, heads = ?8 WHERE type = ?1 AND rid = ?2 AND field = ?3 AND elem = ?4")
        deleteFieldRow = try RawStatement(db, "DELETE FROM fields WHERE type = ? AND rid = ? AND field = ? AND elem = ?")
        insertRecord = try RawStatement(db, "INSERT INTO records (type, rid, scope) VALUES (?, ?, ?) ON CONFLICT (type, rid) DO NOTHING")
        // Only a value that changes is written: a new record's scope field usually names the
        // unit its row was just inserted with, and rewriting it would rewrite its index entries.
        updateScope = try RawStatement(db, "UPDATE records SET scope = ?1 WHERE type = ?2 AND rid = ?3 AND scope IS NOT ?1")
        updateScope2 = try RawStatement(db, "UPDATE records SET scope2 = ?1 WHERE type = ?2 AND rid = ?3 AND scope2 IS NOT ?1")
        updateDeleted = try RawStatement(db, "UPDATE records SET deleted = ?1 WHERE type = ?2 AND rid = ?3 AND deleted IS NOT ?1")
        insertSuperseded = try RawStatement(db, "INSERT OR IGNORE INTO superseded (type, rid, field, hlc, site) VALUES (?, ?, ?, ?, ?)")
        findSuperseded = try RawStatement(db, "SELECT 1 FROM superseded WHERE type = ? AND rid = ? AND field = ? AND hlc = ? AND site = ?")
    }

    /// Appends a change to the log; `false` if the log already holds its origin.
    package func appendToLog(_ change: Change) throws -> Bool {
        try appendLog.execute { row in
            row.bind(Int64(bits: change.site.rawValue))
            row.bind(Int64(bitPattern: change.seq))
            row.bind(Int64(bits: change.hlc.rawValue))
            row.bind(change.type)
            row.bind(change.id)
            row.bind(change.scope)
            row.bind(change.field)
            row.bind(change.element)
            row.bind(change.value)
            row.bind(change.bases.isEmpty ? nil : change.bases.map(\.text).joined(separator: ","))
        } > 0
    }

    /// Folds one valid, new change into the merged state of its field and its record.
    package mutating func merge(_ change: Change) throws {
        guard let recordType = schema.types[change.type], let spec = schema.field(change.field, of: change.type),
            let policy = recordType.effectivePolicy(of: change.field)
        else { return }
        let key = change.key
        let current = try isUnwritten(key) ? nil : loadField(key)
        var isSuperseded = false
        if policy == .lww {
            try rememberBases(change)
            // A write that supersedes this one is newer than it (bases are older than their
            // change) and leaves a newer head behind; with no newer head there is nothing to
            // look up — the common case of a first write or an overwrite in order.
            if let winner = current?.winner, winner.version > change.version {
                isSuperseded = try findSuperseded.step { row in
                    row.bind(change.type)
                    row.bind(change.id)
                    row.bind(change.field)
                    row.bind(Int64(bits: change.hlc.rawValue))
                    row.bind(Int64(bits: change.site.rawValue))
                }
                findSuperseded.reset()
            }
        }
        let merged = FieldState.merging(
            current, Head(version: change.version, value: change.value), bases: change.bases, policy: policy,
            isSuperseded: isSuperseded, rank: { spec.rank(of: $0.stringValue ?? "") ?? -1 })
        if merged != current {
            try saveField(key, merged, exists: current != nil)
        }
        try updateRecord(change, recordType: recordType, merged: merged, isNew: current == nil)
    }

    /// Whether `key` is a field of the record this merger just created that nothing has
    /// written yet, so that it has no row.
    private func isUnwritten(_ key: FieldKey) -> Bool {
        guard let created, created.record.id == key.id, created.record.type == key.type else { return false }
        return !created.written.contains(key)
    }

    /// Remembers the change's bases as superseded versions of its field.
    private func rememberBases(_ change: Change) throws {
        for base in change.bases {
            try insertSuperseded.execute { row in
                row.bind(change.type)
                row.bind(change.id)
                row.bind(change.field)
                row.bind(Int64(bits: base.hlc.rawValue))
                row.bind(Int64(bits: base.site.rawValue))
            }
        }
    }

    /// Remembers a superseded version of one lww field (a snapshot's list).
    package func rememberSuperseded(_ version: Version, of key: FieldKey) throws {
        try insertSuperseded.execute { row in
            row.bind(key.type)
            row.bind(key.id)
            row.bind(key.field)
            row.bind(Int64(bits: version.hlc.rawValue))
            row.bind(Int64(bits: version.site.rawValue))
        }
    }

    /// Reads the merged state of one field key.
    package func loadField(_ key: FieldKey) throws -> FieldState? {
        let found = try loadFieldRow.step { row in
            row.bind(key.type)
            row.bind(key.id)
            row.bind(key.field)
            row.bind(key.element ?? "")
        }
        guard found else { return nil }
        defer { loadFieldRow.reset() }
        let kind = key.element == nil ? schema.storedKind(type: key.type, field: key.field) : nil
        let winner = Head(
            version: Version(hlc: HLC(rawValue: UInt64(bits: loadFieldRow.int64(0))), site: SiteID(rawValue: UInt64(bits: loadFieldRow.int64(1)))),
            value: loadFieldRow.value(2, kind: kind))
        let others = loadFieldRow.isNull(3) ? [] : HeadsColumn.decode(loadFieldRow.text(3), kind: kind)
        return FieldState(heads: [winner] + others)
    }

    /// Writes (or removes) the merged state of one field key; `exists` says whether the key
    /// has a row now, when the caller knows it.
    package mutating func saveField(_ key: FieldKey, _ state: FieldState?, exists: Bool? = nil) throws {
        noteChanged(key.record)
        if let record = created?.record, record.id == key.id, record.type == key.type {
            // A record with very many fields (a large set) goes back to plain lookups.
            if created!.written.count < 64 { created!.written.append(key) } else { created = nil }
        }
        guard let state else {
            try deleteFieldRow.execute { row in
                row.bind(key.type)
                row.bind(key.id)
                row.bind(key.field)
                row.bind(key.element ?? "")
            }
            return
        }
        let winner = state.winner
        let statement = switch exists {
            case true?: updateFieldRow
            case false?: insertFieldRow
            case nil: saveFieldRow
            }
        try statement.execute { row in
            row.bind(key.type)
            row.bind(key.id)
            row.bind(key.field)
            row.bind(key.element ?? "")
            row.bind(Int64(bits: winner.version.hlc.rawValue))
            row.bind(Int64(bits: winner.version.site.rawValue))
            row.bind(winner.value)
            row.bind(HeadsColumn.encode(state.heads.dropFirst()))
        }
    }

    /// Keeps the `records` row (scope, second scope, deleted flag) in step with the fields.
    private mutating func updateRecord(_ change: Change, recordType: RecordType, merged: FieldState?, isNew: Bool) throws {
        let record = change.record
        if isNew, !existing.contains(record) {
            // A record lies where its scope field's winner says (an org unit is its own scope),
            // and nowhere while that field has no value: never where a change claims it is,
            // which would depend on the order changes arrive in (SPEC §10 "Scope").
            let placedBy = change.field == recordType.scopeField && change.element == nil ? change.value.stringValue : nil
            let inserted = try insertRecord.execute { row in
                row.bind(change.type)
                row.bind(change.id)
                row.bind(recordType.scopeField == nil ? change.id : placedBy ?? RecordPlace.unplaced.scope)
            }
            if inserted > 0 {
                noteChanged(record)
                created = (record, [change.key])
            }
            existing.insert(record)
        }
        guard change.element == nil, let winner = merged?.winner.value else { return }
        let update: RawStatement
        let value: FieldValue
        if change.field == recordType.scopeField, let scope = winner.stringValue {
            (update, value) = (updateScope, .string(scope))
        } else if recordType.secondScopeField == change.field {
            (update, value) = (updateScope2, winner.stringValue.map(FieldValue.string) ?? .null)
        } else if change.field == Schema.deletedField {
            (update, value) = (updateDeleted, .bool(winner == .bool(true)))
        } else {
            return
        }
        let updated = try update.execute { row in
            row.bind(value)
            row.bind(change.type)
            row.bind(change.id)
        }
        if updated > 0 { noteChanged(record) }
    }

    /// Marks a record as changed by work done outside this merger (a record row rewritten,
    /// a record removed), so that ``finish()`` refreshes what derives from it.
    package mutating func noteChanged(_ record: RecordKey) {
        if derived != nil { changed.insert(record) }
    }

    /// Refreshes the derived tables for every record changed so far; call once before the
    /// transaction commits.
    package mutating func finish() throws {
        guard !changed.isEmpty else { return }
        try derived?.refresh(changed, db)
        changed.removeAll()
    }
}

/// Tables derived from the merged records (e.g. the hub's report facts), kept in step in
/// the same transaction as every write: a ``Merger`` hands over, once per transaction,
/// every record whose fields or row it changed.
package protocol DerivedTables: Sendable {
    /// Recomputes the derived rows of `records` (some may no longer exist).
    func refresh(_ records: Set<RecordKey>, _ db: Database) throws
}
