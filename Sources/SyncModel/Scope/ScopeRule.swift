/// The scope rules of SPEC §10, written once and used by both sides: the station's write
/// planner refuses locally exactly what the hub's push check refuses (same code, same
/// sentence); pulls, snapshots, moves and digests decide what reaches a station with
/// ``StationScope/visibility(of:)`` and ``moveEffect(from:to:)``.
public enum ScopeRule {
    /// Why a station with `scope` may not write `change`, or `nil` when it may.
    ///
    /// - Parameter place: where the record lies now as the deciding replica holds it (the
    ///   hub's current record; on a station, its replica's), `nil` when it holds no write of
    ///   it. A record that lies nowhere (``RecordPlace/unplaced``) is treated as new.
    ///
    /// A station writes a record when the unit its change claims (the unit the record will
    /// belong to) is in its subtree — or, for a type with a second scope field, the record's
    /// second unit is — **and** the record, if it lies somewhere already, lies in its subtree;
    /// a write to the scope field moves the record only to a unit of its subtree. The org
    /// tree itself (a type without a scope field) is kept by the hub alone.
    public static func writeRefusal(_ change: Change, place: RecordPlace?, scope: StationScope, schema: Schema) -> SyncError? {
        guard let recordType = schema.types[change.type] else { return nil }  // refused as unknown_type
        guard let scopeField = recordType.scopeField else {
            return SyncError(
                .outOfScope,
                "the org tree is kept by the county hub; stations do not write \(change.type) records (ask the county to change it)")
        }
        let current = place.flatMap { $0.isPlaced ? $0 : nil }
        let claimed = scope.subtree.contains(change.scope) || current?.scope2.map(scope.subtree.contains) == true
        guard claimed else {
            return SyncError(
                .outOfScope,
                "\(change.type)/\(change.id) is in unit \(change.scope), outside unit \(scope.unit) and the units under it, where this station writes")
        }
        if let current, !scope.owns(current) {
            return SyncError(
                .outOfScope,
                "\(change.type)/\(change.id) now belongs to unit \(current.scope), outside unit \(scope.unit) and the units under it, where this station writes")
        }
        if change.field == scopeField && change.element == nil {
            guard let target = change.value.stringValue, scope.subtree.contains(target) else {
                return SyncError(
                    .outOfScope,
                    "\(change.type)/\(change.id) may only move to unit \(scope.unit) or a unit under it")
            }
        }
        return nil
    }

    /// What a station must do about a record whose place changed, from how it reached the
    /// station before to how it reaches it now.
    public static func moveEffect(from old: Visibility, to new: Visibility) -> MoveEffect {
        switch (old, new) {
        case (let old, let new) where old == new: .none
        case (_, .hidden): .remove
        case (.whole, .withoutPersonal): .redact
        case (_, let new): .install(new)
        }
    }
}

/// What a move of a record means for one station (SPEC §10 "Moves").
public enum MoveEffect: Hashable, Sendable {
    /// Nothing: the record reaches the station as before.
    case none
    /// The station receives the record's whole current state (as ``Visibility`` says): it
    /// came into view, or its personal fields now reach the station.
    case install(Visibility)
    /// The station drops the record: it left the station's view.
    case remove
    /// The station drops the record's personal fields: it still sees it, no longer owns it.
    case redact
}
