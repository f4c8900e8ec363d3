import SyncModel
import SyncStore

extension WritePlanner {
    /// The edit deleting a record; none when it is already deleted.
    func planDelete(type: String, id: String) throws -> [LocalEdit] {
        let recordType = try self.recordType(type)
        let record = try existingRecord(type: type, id: id)
        if record.isDeleted { return [] }
        if recordType.appendOnly {
            throw SyncError(
                .appendOnly,
                "\(type) records are append-only: they are never edited or deleted (write a correcting entry instead)")
        }
        let edits = [deletedEdit(record, recordType: recordType, deleted: true, settles: false)]
        try checkScope(edits)
        return edits
    }

    /// The edit restoring a deleted record; none when it is not deleted.
    func planRestore(type: String, id: String) throws -> [LocalEdit] {
        let recordType = try self.recordType(type)
        let record = try existingRecord(type: type, id: id)
        guard record.isDeleted else { return [] }
        let edits = [deletedEdit(record, recordType: recordType, deleted: false, settles: true)]
        try checkScope(edits)
        return edits
    }

    /// The settling edits of a conflict on `field`: keep one head's value (`keep`) or write a
    /// new one (`value`). For a delete/edit conflict, keeping the delete (or `_deleted` =
    /// `true`) confirms it and keeping the edit (or `_deleted` = `false`, or a new value)
    /// restores the record.
    func planResolve(type: String, id: String, field: String, keep: Version?, value: FieldValue?) throws -> [LocalEdit] {
        let recordType = try self.recordType(type)
        let record = try existingRecord(type: type, id: id)
        guard field == Schema.deletedField || recordType.fields[field] != nil else {
            throw SyncError(.unknownField, "\(type) has no field \"\(field)\"")
        }
        guard (keep == nil) != (value == nil) else {
            throw SyncError(.invalidValue, "settle a conflict with either the version to keep or a new value, not both")
        }
        let edits = try settlingEdits(record, recordType: recordType, field: field, keep: keep, value: value)
        try checkScope(edits)
        return edits
    }

    private func settlingEdits(
        _ record: RecordState, recordType: RecordType, field: String, keep: Version?, value: FieldValue?
    ) throws -> [LocalEdit] {
        let (type, id) = (record.key.type, record.key.id)
        let scope = self.scope(of: record, recordType: recordType)
        let key = FieldKey(type: type, id: id, field: field)
        if let state = record.fields[field], recordType.effectivePolicy(of: field) == .lww, !state.losingHeads.isEmpty {
            let chosen: FieldValue
            if let keep {
                guard let head = state.heads.first(where: { $0.version == keep }) else {
                    let heads = state.heads.map(\.version.text).joined(separator: ", ")
                    throw SyncError(.noConflict, "\(keep) is not one of the heads of \(key); the heads are \(heads)")
                }
                chosen = head.value
            } else {
                chosen = try canonical(value!, type: type, id: id, field: field)
                if chosen == .null, recordType.fields[field]?.required == true {
                    throw SyncError(.missingField, "\(type).\(field) is required and cannot be cleared")
                }
            }
            return [LocalEdit(key: key, scope: scope, value: chosen, settles: true)]
        }
        if let deletion = record.deletion {
            let edits = record.conflicts { recordType.effectivePolicy(of: $0) }.filter {
                $0.kind == .deleteEdit && (field == Schema.deletedField || $0.field == field)
            }
            guard !edits.isEmpty else { throw noConflict(key) }
            let restore: Bool
            if let keep {
                if keep == deletion.version {
                    restore = false
                } else if edits.contains(where: { $0.version == keep }) {
                    restore = true
                } else {
                    throw SyncError(
                        .noConflict,
                        "\(keep) is neither the delete (\(deletion.version)) nor a write in conflict with it")
                }
            } else if field == Schema.deletedField {
                guard case .bool(let deleted) = value! else {
                    throw SyncError(.wrongKind, "\(Schema.deletedField) takes true (confirm the delete) or false (restore)")
                }
                restore = !deleted
            } else {
                restore = true
            }
            var result = [deletedEdit(record, recordType: recordType, deleted: !restore, settles: true)]
            if restore, field != Schema.deletedField, let value {
                let chosen = try canonical(value, type: type, id: id, field: field)
                if chosen != record.fields[field]?.winner.value {
                    result.append(LocalEdit(key: key, scope: scope, value: chosen))
                }
            }
            return result
        }
        throw noConflict(key)
    }

    private func deletedEdit(_ record: RecordState, recordType: RecordType, deleted: Bool, settles: Bool) -> LocalEdit {
        LocalEdit(
            key: FieldKey(type: record.key.type, id: record.key.id, field: Schema.deletedField),
            scope: scope(of: record, recordType: recordType), value: .bool(deleted), settles: settles)
    }

    private func noConflict(_ key: FieldKey) -> SyncError {
        SyncError(.noConflict, "\(key) has no conflict to settle")
    }
}
