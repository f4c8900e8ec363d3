/// A replica held in memory: the reference implementation of the merge.
///
/// It is what Protocol/SPEC.md describes, with nothing else in the way: the golden vectors
/// and the property tests run against it, and the SQLite store must agree with it.
public struct MemoryReplica: Sendable {
    /// The schema changes are checked against.
    public private(set) var schema: Schema
    /// Merged state of every field key.
    public private(set) var fields: [FieldKey: FieldState] = [:]
    /// For each `lww` field key, the versions some known write lists as a base.
    public private(set) var superseded: [FieldKey: Set<Version>] = [:]
    /// The origins of every change applied.
    public private(set) var seen: Set<ChangeOrigin> = []
    /// Each record's row: where it lies and whether it is deleted.
    public private(set) var rows: [RecordKey: RecordRowState] = [:]

    /// Creates an empty replica.
    public init(schema: Schema) {
        self.schema = schema
    }

    /// Takes `successor`, a compatible successor of the replica's schema (SPEC §9), keeping
    /// everything the replica holds: under it every change held is still valid, with the same
    /// canonical value, and merges the same way, so nothing needs to be merged again.
    ///
    /// - Throws: `schema_incompatible` when `successor` is not a compatible successor.
    public mutating func adopt(_ successor: Schema) throws(SyncError) {
        try successor.checkCompatibleSuccessor(of: schema)
        schema = successor
    }

    /// Checks and applies `changes`: order and duplicates do not matter, a refused change is
    /// reported and skipped.
    @discardableResult
    public mutating func apply(_ changes: some Sequence<Change>, context: ValidationContext) -> ApplyReport {
        var report = ApplyReport()
        var fold = MergeFold(schema: schema, source: Source(replica: self))
        for change in changes {
            if seen.contains(change.origin) {
                report.duplicates.append(change.origin)
                continue
            }
            let valid: Change
            do {
                valid = try schema.validate(change, in: context)
            } catch {
                report.refused.append(Refusal(origin: change.origin, error: error))
                continue
            }
            seen.insert(change.origin)
            Self.neverFails { try fold.merge(valid) }
            report.applied.append(change.origin)
        }
        store(fold.result)
        return report
    }

    /// Installs snapshot records, as a store installs a hub's snapshot page.
    public mutating func install(_ records: [SnapshotRecord]) {
        var fold = MergeFold(schema: schema, source: Source(replica: self))
        for record in records { Self.neverFails { try fold.install(record) } }
        store(fold.result)
    }

    /// Forgets a record, as a station does when the record leaves its view.
    public mutating func remove(_ record: RecordKey) {
        fields = fields.filter { $0.key.record != record }
        superseded = superseded.filter { $0.key.record != record }
        rows[record] = nil
    }

    /// Writes a fold's result into the dictionaries.
    private mutating func store(_ result: MergeResult) {
        for write in result.fields { fields[write.key] = write.state }
        for entry in result.superseded { superseded[entry.key, default: []].insert(entry.version) }
        for write in result.rows { rows[write.record] = write.row }
    }

    /// Runs fold work over the in-memory source, which cannot fail.
    private static func neverFails(_ body: () throws -> Void) {
        do { try body() } catch { preconditionFailure("an in-memory merge source does not fail: \(error)") }
    }

    /// The replica as a ``MergeSource``.
    private struct Source: MergeSource {
        let replica: MemoryReplica
        func fieldState(_ key: FieldKey) -> FieldState? { replica.fields[key] }
        func isSuperseded(_ version: Version, of key: FieldKey) -> Bool { replica.superseded[key]?.contains(version) == true }
        func recordRow(_ record: RecordKey) -> RecordRowState? { replica.rows[record] }
    }

    /// Every record the replica holds, in canonical order.
    public var records: [RecordState] {
        var records: [RecordKey: RecordState] = [:]
        for (key, state) in fields {
            records[key.record, default: RecordState(key: key.record)].set(state, for: key)
        }
        return records.values.sorted { $0.key < $1.key }
    }

    /// The record with `key`, if the replica holds any write of it.
    public func record(_ key: RecordKey) -> RecordState? {
        var record = RecordState(key: key)
        var found = false
        for (fieldKey, state) in fields where fieldKey.record == key {
            record.set(state, for: fieldKey)
            found = true
        }
        return found ? record : nil
    }

    /// Every open conflict, sorted.
    public var conflicts: [Conflict] {
        records.flatMap { record in
            record.conflicts { self.schema.types[record.key.type]?.effectivePolicy(of: $0) }
        }
    }

    /// The canonical dump of the replica (see ``CanonicalDump``).
    public func canonicalDump() -> [UInt8] {
        var dump = CanonicalDump(schema: schema)
        for record in records { dump.add(record) }
        return dump.finish()
    }
}
