public import SyncModel

/// The checks a push passes before the hub's store is touched; they depend only on the
/// batch, the schema and the hub's clock, so every store implementation shares them.
public enum PushCheck {
    /// Refuses the whole batch when it mixes sites, has gaps inside, or (checked last) a
    /// change whose clock lies too far ahead (`clock_skew`: nothing is applied).
    public static func check(_ changes: [Change], schema: Schema, context: ValidationContext) throws(SyncError) {
        guard let first = changes.first else { return }
        guard first.site.rawValue != 0, first.site.rawValue != .max else {
            throw SyncError(.wrongSite, "site \(first.site) is no replica's site (all zeros or all ones); nothing of this push was applied")
        }
        for change in changes where change.site != first.site {
            throw SyncError(.wrongSite, "a push holds the changes of one site; got \(first.site) and \(change.site)")
        }
        for (index, change) in changes.enumerated() where change.seq != first.seq &+ UInt64(index) {
            throw SyncError(.badRequest, "a push holds consecutive seqs; seq \(change.seq) follows \(changes[index - 1].seq)")
        }
        // Only a change whose clock is past the limit can be skewed; validating it tells
        // whether skew is its reason (a change refused for another reason is refused alone).
        let (limit, overflow) = context.wallMillis.addingReportingOverflow(context.maxDriftMillis)
        for change in changes where !overflow && change.hlc.millis > limit {
            do {
                _ = try schema.validate(change, in: context)
            } catch let error where error.code == .clockSkew {
                throw SyncError(.clockSkew, "change \(change.origin): \(error.message); nothing of this push was applied")
            } catch {
                continue  // refused one by one when applied
            }
        }
    }

    /// Why `change` may not be written by a station with `scope`, or `nil` when it may.
    ///
    /// A station writes a record when the change's claimed scope and the record's current
    /// hub scope (or, for a transfer, its second scope) are in its subtree; a write to the
    /// scope field moves the record only to a unit of its subtree. The org tree itself is
    /// kept by the hub.
    static func scopeRefusal(_ change: Change, row: (scope: String, scope2: String?)?, scope: StationScope, schema: Schema) -> SyncError? {
        guard let recordType = schema.types[change.type] else { return nil }  // refused as unknown_type
        guard let scopeField = recordType.scopeField else {
            return SyncError(.outOfScope, "the org tree is kept by the county hub; stations do not write \(change.type) records")
        }
        let claimed = scope.subtree.contains(change.scope) || row?.scope2.map(scope.subtree.contains) == true
        guard claimed else {
            return SyncError(.outOfScope, "\(change.type)/\(change.id) is in unit \(change.scope), outside this station's units")
        }
        if let row, !scope.owns(row.scope, row.scope2) {
            return SyncError(.outOfScope, "\(change.type)/\(change.id) now belongs to unit \(row.scope), outside this station's units")
        }
        if change.field == scopeField && change.element == nil {
            guard let target = change.value.stringValue, scope.subtree.contains(target) else {
                return SyncError(.outOfScope, "\(change.type)/\(change.id) may only move to a unit of this station")
            }
        }
        return nil
    }
}
