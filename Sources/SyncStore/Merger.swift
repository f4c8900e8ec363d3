public import SyncModel
package import GRDB

/// The merge work of one write transaction on the SQLite replica: appends changes to the
/// log, folds them with SyncModel's ``MergeFold`` (the one merge, which the reference
/// replica uses too) and, at ``finish()``, writes each changed field key, superseded version
/// and record row once, then refreshes the derived tables of the records it changed.
///
/// Statements are stepped through ``RawStatement``: a received change costs a log insert and,
/// unless its record is new, a field lookup; its field is written once per batch.
package struct Merger {
    let schema: Schema
    let derived: (any DerivedTables)?
    private let db: Database
    private let appendLog: RawStatement
    private let statements: Statements
    private var fold: MergeFold<SQLiteSource>

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
        statements = try Statements(db)
        fold = MergeFold(schema: store.schema, source: SQLiteSource(schema: store.schema, statements: statements))
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
        try fold.merge(change)
    }

    /// Folds a snapshot record into the replica (see ``MergeFold/install(_:)``).
    package mutating func install(_ record: SnapshotRecord) throws {
        try fold.install(record)
    }

    /// The merged state of one field key as this transaction holds it now.
    package mutating func state(of key: FieldKey) throws -> FieldState? {
        try fold.state(of: key)
    }

    /// Writes what the batch changed and refreshes the derived tables for every record it
    /// changed; call once before the transaction commits.
    package mutating func finish() throws {
        let result = fold.result
        for write in result.fields {
            switch (write.state, write.existed) {
            case (nil, false): continue
            case (nil, true): _ = try statements.deleteField.execute { $0.bind(key: write.key) }
            case (let state?, let existed):
                _ = try (existed ? statements.updateField : statements.insertField).execute { row in
                    row.bind(key: write.key)
                    row.bind(Int64(bits: state.winner.version.hlc.rawValue))
                    row.bind(Int64(bits: state.winner.version.site.rawValue))
                    row.bind(state.winner.value)
                    row.bind(HeadsColumn.encode(state.heads.dropFirst()))
                }
            }
        }
        for entry in result.superseded {
            _ = try statements.insertSuperseded.execute { row in
                row.bind(entry.key.type)
                row.bind(entry.key.id)
                row.bind(entry.key.field)
                row.bind(Int64(bits: entry.version.hlc.rawValue))
                row.bind(Int64(bits: entry.version.site.rawValue))
            }
        }
        for write in result.rows {
            _ = try (write.existed ? statements.updateRecord : statements.insertRecord).execute { row in
                row.bind(write.record.type)
                row.bind(write.record.id)
                row.bind(write.row.place.scope)
                row.bind(write.row.place.scope2)
                row.bind(Int64(write.row.deleted ? 1 : 0))
            }
        }
        fold = MergeFold(schema: schema, source: SQLiteSource(schema: schema, statements: statements))
        if let derived, !result.changedRecords.isEmpty {
            try derived.refresh(result.changedRecords, db)
        }
    }
}

extension Merger {
    /// The statements a merge reads and writes with, prepared once per transaction.
    struct Statements {
        let loadField: RawStatement
        let insertField: RawStatement
        let updateField: RawStatement
        let deleteField: RawStatement
        let findSuperseded: RawStatement
        let insertSuperseded: RawStatement
        let loadRecord: RawStatement
        let insertRecord: RawStatement
        let updateRecord: RawStatement

        init(_ db: Database) throws {
            loadField = try RawStatement(db, "SELECT hlc, site, value, heads FROM fields WHERE type = ? AND rid = ? AND field = ? AND elem = ?")
            insertField = try RawStatement(
                db, "INSERT INTO fields (type, rid, field, elem, hlc, site, value, heads) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            updateField = try RawStatement(
                db, "UPDATE fields SET hlc = ?5, site = ?6, value = ?7, heads = ?8 WHERE type = ?1 AND rid = ?2 AND field = ?3 AND elem = ?4")
            deleteField = try RawStatement(db, "DELETE FROM fields WHERE type = ? AND rid = ? AND field = ? AND elem = ?")
            findSuperseded = try RawStatement(db, "SELECT 1 FROM superseded WHERE type = ? AND rid = ? AND field = ? AND hlc = ? AND site = ?")
            insertSuperseded = try RawStatement(db, "INSERT OR IGNORE INTO superseded (type, rid, field, hlc, site) VALUES (?, ?, ?, ?, ?)")
            loadRecord = try RawStatement(db, "SELECT scope, scope2, deleted FROM records WHERE type = ? AND rid = ?")
            insertRecord = try RawStatement(db, "INSERT INTO records (type, rid, scope, scope2, deleted) VALUES (?, ?, ?, ?, ?)")
            // Only what changes is written: rewriting an unchanged scope rewrites its index entries.
            updateRecord = try RawStatement(
                db,
                """
                UPDATE records SET scope = ?3, scope2 = ?4, deleted = ?5
                WHERE type = ?1 AND rid = ?2 AND (scope IS NOT ?3 OR scope2 IS NOT ?4 OR deleted IS NOT ?5)
                """)
        }
    }

    /// The replica's tables as the fold's source, read on demand.
    struct SQLiteSource: MergeSource {
        let schema: Schema
        let statements: Statements

        func fieldState(_ key: FieldKey) throws -> FieldState? {
            let statement = statements.loadField
            guard try statement.step({ $0.bind(key: key) }) else { return nil }
            defer { statement.reset() }
            let kind = key.element == nil ? schema.storedKind(type: key.type, field: key.field) : nil
            let winner = Head(
                version: Version(
                    hlc: HLC(rawValue: UInt64(bits: statement.int64(0))), site: SiteID(rawValue: UInt64(bits: statement.int64(1)))),
                value: statement.value(2, kind: kind))
            let others = statement.isNull(3) ? [] : HeadsColumn.decode(statement.text(3), kind: kind)
            return FieldState(heads: [winner] + others)
        }

        func isSuperseded(_ version: Version, of key: FieldKey) throws -> Bool {
            let statement = statements.findSuperseded
            let found = try statement.step { row in
                row.bind(key.type)
                row.bind(key.id)
                row.bind(key.field)
                row.bind(Int64(bits: version.hlc.rawValue))
                row.bind(Int64(bits: version.site.rawValue))
            }
            statement.reset()
            return found
        }

        func recordRow(_ record: RecordKey) throws -> RecordRowState? {
            let statement = statements.loadRecord
            guard try statement.step({ row in
                row.bind(record.type)
                row.bind(record.id)
            }) else { return nil }
            defer { statement.reset() }
            return RecordRowState(
                place: RecordPlace(scope: statement.text(0) ?? "", scope2: statement.text(1)), deleted: statement.int64(2) != 0)
        }
    }
}

extension RawStatement.Binder {
    /// Binds a field key as (type, rid, field, elem) — the `fields` table's key.
    mutating func bind(key: FieldKey) {
        bind(key.type)
        bind(key.id)
        bind(key.field)
        bind(key.element ?? "")
    }
}

/// Tables derived from the merged records (e.g. the hub's report facts), kept in step in
/// the same transaction as every write: a ``Merger`` hands over, once per transaction,
/// every record whose fields or row it changed.
package protocol DerivedTables: Sendable {
    /// Recomputes the derived rows of `records` (some may no longer exist).
    func refresh(_ records: Set<RecordKey>, _ db: Database) throws
}
