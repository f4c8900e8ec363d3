public import SyncModel
package import GRDB

extension ReplicaStore {
    /// Checks and applies changes received from another replica, in one transaction.
    ///
    /// Duplicates (same site and seq) are skipped; a refused change is reported and skipped
    /// without aborting the rest. The result is the same whatever order the changes come in.
    /// If the transaction fails, nothing of the batch is kept.
    public func apply(_ changes: [Change], context: ValidationContext? = nil) throws(SyncError) -> ApplyReport {
        let context = context ?? ValidationContext(wallMillis: wallClock.nowMillis())
        return try write { db in try self.apply(changes, context: context, db) }
    }

    /// Applies changes inside the caller's transaction.
    package func apply(_ changes: [Change], context: ValidationContext, _ db: Database) throws -> ApplyReport {
        var report = ApplyReport()
        var newest = HLC.zero
        for change in changes {
            let valid: Change
            do {
                valid = try schema.validate(change, in: context)
            } catch {
                report.refused.append(Refusal(origin: change.origin, error: error))
                continue
            }
            guard try appendToLog(valid, db) else {
                report.duplicates.append(change.origin)
                continue
            }
            try merge(valid, db)
            report.applied.append(change.origin)
            newest = max(newest, valid.hlc)
        }
        if newest > .zero {
            try updateClock(db) { $0.receive(newest, wallMillis: context.wallMillis) }
        }
        return report
    }

    /// Appends a change to the log; `false` if the log already holds its origin.
    package func appendToLog(_ change: Change, _ db: Database) throws -> Bool {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO log (site, seq, hlc, type, rid, scope, field, elem, value, bases)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, seq) DO NOTHING
                """)
        let bases = change.bases.isEmpty ? nil : change.bases.map(\.text).joined(separator: ",")
        try statement.execute(arguments: [
            Int64(bits: change.site.rawValue), Int64(bitPattern: change.seq), Int64(bits: change.hlc.rawValue),
            change.type, change.id, change.scope, change.field, change.element,
            ValueColumn.databaseValue(change.value), bases,
        ])
        return db.changesCount > 0
    }

    /// Folds one valid, new change into the merged state of its field and its record.
    package func merge(_ change: Change, _ db: Database) throws {
        guard let recordType = schema.types[change.type], let spec = schema.field(change.field, of: change.type),
            let policy = recordType.effectivePolicy(of: change.field)
        else { return }
        let current = try loadField(change.key, db)
        var isSuperseded = false
        if policy == .lww {
            try rememberBases(change, db)
            // A write that supersedes this one is newer than it (bases are older than their
            // change) and leaves a newer head behind; with no newer head there is nothing to
            // look up — the common case of a first write or an overwrite in order.
            if let winner = current?.winner, winner.version > change.version {
                isSuperseded = try isKnownSuperseded(change, db)
            }
        }
        let merged = FieldState.merging(
            current, Head(version: change.version, value: change.value), bases: change.bases, policy: policy,
            isSuperseded: isSuperseded, rank: { spec.rank(of: $0.stringValue ?? "") ?? -1 })
        if merged != current {
            try saveField(change.key, merged, db)
        }
        try updateRecord(change, recordType: recordType, merged: merged, isNew: current == nil, db)
    }

    /// Remembers the change's bases as superseded versions of its field.
    private func rememberBases(_ change: Change, _ db: Database) throws {
        guard !change.bases.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO superseded (type, rid, field, hlc, site) VALUES (?, ?, ?, ?, ?)")
        for base in change.bases {
            try insert.execute(arguments: [
                change.type, change.id, change.field, Int64(bits: base.hlc.rawValue), Int64(bits: base.site.rawValue),
            ])
        }
    }

    /// Whether a known write lists the change's version among its bases.
    private func isKnownSuperseded(_ change: Change, _ db: Database) throws -> Bool {
        let check = try db.cachedStatement(
            sql: "SELECT 1 FROM superseded WHERE type = ? AND rid = ? AND field = ? AND hlc = ? AND site = ?")
        return try Bool.fetchOne(
            check,
            arguments: [change.type, change.id, change.field, Int64(bits: change.hlc.rawValue), Int64(bits: change.site.rawValue)]
        ) != nil
    }

    /// Reads the merged state of one field key.
    package func loadField(_ key: FieldKey, _ db: Database) throws -> FieldState? {
        let statement = try db.cachedStatement(
            sql: "SELECT hlc, site, value, heads FROM fields WHERE type = ? AND rid = ? AND field = ? AND elem = ?")
        guard let row = try Row.fetchOne(statement, arguments: [key.type, key.id, key.field, key.element ?? ""]) else {
            return nil
        }
        let kind = key.element == nil ? schema.storedKind(type: key.type, field: key.field) : nil
        return Self.fieldState(row, kind: kind)
    }

    /// Builds a field state from a `fields` row whose first columns are hlc, site, value, heads.
    static func fieldState(_ row: Row, kind: ValueKind?, offset: Int = 0) -> FieldState? {
        let winner = Head(
            version: Version(hlc: HLC(rawValue: UInt64(bits: row[offset])), site: SiteID(rawValue: UInt64(bits: row[offset + 1]))),
            value: ValueColumn.fieldValue(row[offset + 2], kind: kind))
        return FieldState(heads: [winner] + HeadsColumn.decode(row[offset + 3], kind: kind))
    }

    /// Writes (or removes) the merged state of one field key.
    package func saveField(_ key: FieldKey, _ state: FieldState?, _ db: Database) throws {
        guard let state else {
            try db.execute(
                sql: "DELETE FROM fields WHERE type = ? AND rid = ? AND field = ? AND elem = ?",
                arguments: [key.type, key.id, key.field, key.element ?? ""])
            return
        }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO fields (type, rid, field, elem, hlc, site, value, heads) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (type, rid, field, elem) DO UPDATE SET
                    hlc = excluded.hlc, site = excluded.site, value = excluded.value, heads = excluded.heads
                """)
        let winner = state.winner
        try statement.execute(arguments: [
            key.type, key.id, key.field, key.element ?? "",
            Int64(bits: winner.version.hlc.rawValue), Int64(bits: winner.version.site.rawValue),
            ValueColumn.databaseValue(winner.value), HeadsColumn.encode(state.heads.dropFirst()),
        ])
    }

    /// Keeps the `records` row (scope, second scope, deleted flag) in step with the fields.
    private func updateRecord(_ change: Change, recordType: RecordType, merged: FieldState?, isNew: Bool, _ db: Database)
        throws
    {
        if isNew {
            let insert = try db.cachedStatement(
                sql: "INSERT INTO records (type, rid, scope) VALUES (?, ?, ?) ON CONFLICT (type, rid) DO NOTHING")
            try insert.execute(arguments: [change.type, change.id, recordType.scopeField == nil ? change.id : change.scope])
        }
        guard change.element == nil, let winner = merged?.winner.value else { return }
        let column: String
        let value: DatabaseValue
        if change.field == recordType.scopeField, let scope = winner.stringValue {
            (column, value) = ("scope", scope.databaseValue)
        } else if recordType.alsoScopeFields.first == change.field {
            (column, value) = ("scope2", winner.stringValue.databaseValue)
        } else if change.field == Schema.deletedField {
            (column, value) = ("deleted", (winner == .bool(true)).databaseValue)
        } else {
            return
        }
        let update = try db.cachedStatement(sql: "UPDATE records SET \(column) = ? WHERE type = ? AND rid = ?")
        try update.execute(arguments: [value, change.type, change.id])
    }

    /// Loads the replica's clock, lets `body` advance it, and saves it.
    @discardableResult
    package func updateClock<T>(_ db: Database, _ body: (inout HybridLogicalClock) -> T) throws -> T {
        var clock = HybridLogicalClock(last: try Meta.clock.read(db).flatMap { HLC(hex: $0) } ?? .zero)
        let result = body(&clock)
        try Meta.clock.write(clock.last.hex, db)
        return result
    }

    /// The replica's clock as last saved.
    public func clock() throws(SyncError) -> HLC {
        try read { db in try Meta.clock.read(db).flatMap { HLC(hex: $0) } ?? .zero }
    }
}
