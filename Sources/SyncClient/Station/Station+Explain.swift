public import SyncModel
import SyncStore

extension Station {
    /// The full story of a record, or of one of its fields: every write this replica holds,
    /// which are heads, which one wins and why, which are conflicts, and what the hub made
    /// of each of this station's own writes.
    ///
    /// - Throws: ``SyncError`` `unknown_type`, `unknown_field`, or `not_found` when the
    ///   replica holds no write of the record.
    public func explain(type: String, id: String, field: String? = nil) throws(SyncError) -> RecordExplanation {
        try checkType(type)
        if let field, schema.field(field, of: type) == nil {
            throw SyncError(.unknownField, "\(type) has no field \"\(field)\"")
        }
        let key = RecordKey(type: type, id: id)
        let history = try store.history(of: key)
        let record = try store.record(key) ?? RecordState(key: key)
        guard !history.isEmpty else { throw SyncError(.notFound, "there is no \(type) \(id) in this replica") }
        let recordType = schema.types[type]!
        let conflicts = record.conflicts { recordType.effectivePolicy(of: $0) }
        let byField = Dictionary(grouping: history, by: \.change.key)
        var fields: [FieldExplanation] = []
        for fieldKey in byField.keys.sorted() where field == nil || fieldKey.field == field {
            let state = fieldKey.element.map { record.sets[fieldKey.field]?[$0] } ?? record.fields[fieldKey.field]
            let policy: MergePolicy =
                fieldKey.element == nil ? recordType.effectivePolicy(of: fieldKey.field) ?? .lww : .set
            fields.append(
                explainField(
                    fieldKey, policy: policy, state: state, writes: byField[fieldKey] ?? [],
                    conflicts: conflicts.filter { $0.key == fieldKey && $0.kind == .concurrent }))
        }
        var deletion: String?
        if let deleted = record.deletion {
            let deleteEdits = conflicts.filter { $0.kind == .deleteEdit }
            deletion =
                deleteEdits.isEmpty
                ? "deleted: the record is deleted by \(deleted.version) (lww on _deleted); restore it with `tributary restore \(type) \(id)`"
                : "deleted: the record is deleted by \(deleted.version) (lww on _deleted); \(deleteEdits.count) write(s) made after it without seeing it are delete/edit conflicts: restore with `tributary resolve \(type) \(id) _deleted --value false` or confirm with `--value true`"
            for index in fields.indices {
                fields[index].conflicts += deleteEdits.filter { $0.key == fields[index].key }
            }
        }
        return RecordExplanation(key: key, isDeleted: record.isDeleted, deletion: deletion, fields: fields)
    }

    private func explainField(
        _ key: FieldKey, policy: MergePolicy, state: FieldState?, writes: [LoggedChange], conflicts: [Conflict]
    ) -> FieldExplanation {
        let heads = Set(state?.heads.map(\.version) ?? [])
        let winner = state?.winner
        let standing = writes.filter { if case .refused? = $0.state { false } else { true } }
        // For forward fields the shown version is the greatest seen, not necessarily the
        // write that reached the state: the winning write is the latest one of that state.
        let forwardWinner = standing.filter { $0.change.value == winner?.value }.map(\.change.version).max()
        let explained = writes.map { logged -> WriteExplanation in
            let change = logged.change
            let role: WriteExplanation.Role
            if case .refused? = logged.state {
                role = .refused
            } else if policy == .forward {
                role = change.version == forwardWinner ? .winner : .outranked
            } else if change.version == winner?.version {
                role = .winner
            } else if policy == .lww {
                role = heads.contains(change.version) ? (change.value == winner?.value ? .agreeing : .conflict) : .superseded
            } else {
                role = .outranked
            }
            return WriteExplanation(
                position: logged.position, version: change.version, origin: change.origin, isOwn: change.site == siteID,
                value: change.value, bases: change.bases, isHead: heads.contains(change.version) || role == .winner,
                role: role, syncState: logged.state)
        }
        return FieldExplanation(
            key: key, policy: policy, value: winner?.value, winner: winner?.version,
            rule: rule(key, policy: policy, state: state, writes: explained, conflicts: conflicts),
            writes: explained, conflicts: conflicts)
    }

    private func rule(
        _ key: FieldKey, policy: MergePolicy, state: FieldState?, writes: [WriteExplanation], conflicts: [Conflict]
    ) -> String {
        guard let state else { return "no write stands: every write of it was refused by the hub" }
        let winner = state.winner
        let count = writes.filter { $0.role != .refused }.count
        switch policy {
        case .lww:
            if state.heads.count == 1 {
                return count == 1
                    ? "lww: \(winner.version) is the only write"
                    : "lww: \(winner.version) is the only head; every other write was overwritten by a write that listed it as a base"
            }
            let others = state.heads.dropFirst().map(\.version.text).joined(separator: ", ")
            let tail =
                conflicts.isEmpty
                ? "; the other heads hold the same value, so there is no conflict"
                : "; \(conflicts.count) head(s) with another value are kept as conflicts: settle with `tributary resolve \(key.type) \(key.id) \(key.field) --keep VERSION` or `--value VALUE`"
            return "lww: greatest version among heads \(winner.version) wins over \(others)\(tail)"
        case .forward:
            let states = schema.field(key.field, of: key.type)?.values.joined(separator: " → ") ?? ""
            let earlier = writes.filter { $0.role == .outranked }.count
            return "forward: furthest state \(winner.value) stands (\(states)); the greatest version seen is \(winner.version)"
                + (earlier > 0 ? "; \(earlier) write(s) of earlier or equal states do not move it back" : "")
        case .set:
            let element = key.element ?? ""
            return winner.value == .bool(true)
                ? "set: element \"\(element)\" present since \(winner.version) (the latest write for the element wins)"
                : "set: element \"\(element)\" absent since \(winner.version), removed by the latest write for the element"
        case .immutable:
            return count > 1
                ? "immutable: the earliest write \(winner.version) stands; \(count - 1) later write(s) are ignored"
                : "immutable: written once, at creation, by \(winner.version)"
        }
    }
}
