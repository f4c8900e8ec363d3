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
        var merger = try Merger(self, db)
        for change in changes {
            let valid: Change
            do {
                valid = try schema.validate(change, in: context)
            } catch {
                report.refused.append(Refusal(origin: change.origin, error: error))
                continue
            }
            guard try merger.appendToLog(valid) else {
                report.duplicates.append(change.origin)
                continue
            }
            try merger.merge(valid)
            report.applied.append(change.origin)
            newest = max(newest, valid.hlc)
        }
        try merger.finish()
        if newest > .zero {
            try updateClock(db) { $0.receive(newest, wallMillis: context.wallMillis) }
        }
        return report
    }

    /// Reads the merged state of one field key.
    package func loadField(_ key: FieldKey, _ db: Database) throws -> FieldState? {
        var merger = try Merger(self, db)
        return try merger.state(of: key)
    }

    /// Builds a field state from a `fields` row whose first columns are hlc, site, value, heads.
    static func fieldState(_ row: Row, kind: ValueKind?, offset: Int = 0) -> FieldState? {
        let winner = Head(
            version: Version(hlc: HLC(rawValue: UInt64(bits: row[offset])), site: SiteID(rawValue: UInt64(bits: row[offset + 1]))),
            value: ValueColumn.fieldValue(row[offset + 2], kind: kind))
        return FieldState(heads: [winner] + HeadsColumn.decode(row[offset + 3], kind: kind))
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

extension ReplicaStore {
    /// Brings the replica's clock back after it ran ahead with a wall clock that was fast.
    ///
    /// A write stamped by a fast wall clock pushes the clock forward, and a clock never moves
    /// back by itself, so every later write would carry the same skew and be refused by the
    /// hub (`clock_skew`) until real time caught up — months, for a year typed wrong. Once the
    /// hub has refused those writes (and the replica has taken the hub's state of their
    /// records), no write the replica holds carries that time any more: the clock then moves
    /// back to the latest of the hub's clock, the wall clock and the newest write the replica
    /// still holds (SPEC §2 "Recovering from a fast clock"). Writes the hub refused are dead:
    /// nothing merges them, so a later write may reuse their time. Returns whether it moved.
    @discardableResult
    package func recoverClock(hub: HLC, maxDriftMillis: UInt64, _ db: Database) throws -> Bool {
        let last = try Meta.clock.read(db).flatMap { HLC(hex: $0) } ?? .zero
        let wall = wallClock.nowMillis()
        let reference = max(wall, hub.millis)
        guard last.millis > reference, last.millis - reference > maxDriftMillis else { return false }
        let newestField = try Int64.fetchOne(db, sql: "SELECT max(hlc) FROM fields") ?? 0
        let newestLogged = try Int64.fetchOne(
            db,
            sql: """
                SELECT max(hlc) FROM log
                WHERE NOT EXISTS (SELECT 1 FROM refusals r WHERE r.site = log.site AND r.seq = log.seq)
                """) ?? 0
        let held = HLC(rawValue: UInt64(bits: max(newestField, newestLogged)))
        let target = max(held, hub, HLC(millis: wall, counter: 0))
        guard target < last else { return false }
        try Meta.clock.write(target.hex, db)
        return true
    }
}
