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
        try Merger(self, db).loadField(key)
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
