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
        for change in changes {
            if seen.contains(change.origin) {
                report.duplicates.append(change.origin)
                continue
            }
            do {
                let valid = try schema.validate(change, in: context)
                merge(valid)
                report.applied.append(change.origin)
            } catch {
                report.refused.append(Refusal(origin: change.origin, error: error))
            }
        }
        return report
    }

    /// Folds one valid change into the state.
    private mutating func merge(_ change: Change) {
        seen.insert(change.origin)
        let key = change.key
        let spec = schema.field(change.field, of: change.type)!
        let policy = schema.types[change.type]!.effectivePolicy(of: change.field)!
        var isSuperseded = false
        if policy == .lww {
            superseded[key, default: []].formUnion(change.bases)
            isSuperseded = superseded[key]!.contains(change.version)
        }
        fields[key] = FieldState.merging(
            fields[key], Head(version: change.version, value: change.value), bases: change.bases, policy: policy,
            isSuperseded: isSuperseded, rank: { spec.rank(of: $0.stringValue ?? "") ?? -1 })
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
