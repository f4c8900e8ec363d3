public import CountyWork
import Logging
public import SyncModel
import SyncStore

extension Station {
    /// Creates or updates a record: only the fields whose value changes are written, as one
    /// transaction holding the record change, its log entries and their outbox place.
    ///
    /// - Throws: ``SyncError`` — the schema's codes (`unknown_type`, `unknown_field`,
    ///   `wrong_kind`, `invalid_value`, `malformed_id`) for bad input; `record_deleted`,
    ///   `backward_state`, `missing_field`, `immutable_field`, `append_only` for a write the
    ///   record's state forbids; `out_of_scope` outside the station's subtree; `busy`.
    @discardableResult
    public func write(_ request: RecordWrite) throws(SyncError) -> WriteResult {
        let result = try store.write { db in
            let planner = try WritePlanner(store: store, org: org, db: db)
            let (id, edits) = try planner.plan(request)
            return WriteResult(id: id, changes: edits.isEmpty ? [] : try store.writeLocal(edits, db))
        }
        logger?.debug(
            "station.write",
            metadata: ["record.type": "\(request.type)", "record.id": "\(result.id)", "write.changes": "\(result.changes.count)"])
        return result
    }

    /// Creates or updates a record from a field map and returns its id.
    ///
    /// - Parameters:
    ///   - id: the record id; `nil` creates a record with a new lowercased UUID.
    ///   - fields: scalar fields to set (`.null` clears one).
    ///   - setChanges: set fields: element → `true` to add, `false` to remove.
    @discardableResult
    public func put(
        type: String, id: String? = nil, fields: [String: FieldValue], setChanges: [String: [String: Bool]] = [:]
    ) throws(SyncError) -> String {
        try write(RecordWrite(type: type, id: id, fields: fields, setChanges: setChanges)).id
    }

    /// Writes a typed record as a whole: its fields, its set fields exactly, and clears the
    /// `lww` fields of its type it leaves empty. Returns its id.
    @discardableResult
    public func put(_ record: some CountyRecord) throws(SyncError) -> String {
        let type = type(of: record).recordType
        var fields = record.fields
        for (name, spec) in schema.types[type]?.fields ?? [:]
        where fields[name] == nil && spec.kind != .set && spec.policy == .lww {
            fields[name] = .null
        }
        return try write(RecordWrite(type: type, id: record.id, fields: fields, exactSets: record.setFields)).id
    }

    /// Deletes a record (writes `_deleted` = `true`). Returns whether anything was written:
    /// deleting a deleted record does nothing.
    ///
    /// - Throws: ``SyncError`` `not_found`, `append_only`, `out_of_scope`.
    @discardableResult
    public func delete(type: String, id: String) throws(SyncError) -> Bool {
        try settle(type: type, id: id) { try $0.planDelete(type: type, id: id) }
    }

    /// Restores a deleted record (writes `_deleted` = `false`, settling any delete/edit
    /// conflict). Returns whether anything was written: restoring a live record does nothing.
    @discardableResult
    public func restore(type: String, id: String) throws(SyncError) -> Bool {
        try settle(type: type, id: id) { try $0.planRestore(type: type, id: id) }
    }

    /// Settles a conflict on one field with a write whose bases list every head: keep the
    /// value of the head `keep`, or write `value`. For a delete/edit conflict (or `field` =
    /// `_deleted`), keeping the delete or `true` confirms it; keeping the edit, `false` or a
    /// new value restores the record.
    ///
    /// - Throws: ``SyncError`` `no_conflict` when the field has no conflict or `keep` is not
    ///   one of its heads; `not_found`; the schema's codes for a bad value.
    @discardableResult
    public func resolve(
        type: String, id: String, field: String, keep: Version? = nil, value: FieldValue? = nil
    ) throws(SyncError) -> [Change] {
        try store.write { db in
            let planner = try WritePlanner(store: store, org: org, db: db)
            let edits = try planner.planResolve(type: type, id: id, field: field, keep: keep, value: value)
            return try store.writeLocal(edits, db)
        }
    }

    private func settle(type: String, id: String, _ plan: (WritePlanner) throws -> [LocalEdit]) throws(SyncError) -> Bool {
        try store.write { db in
            let edits = try plan(try WritePlanner(store: store, org: org, db: db))
            return !(edits.isEmpty ? [] : try store.writeLocal(edits, db)).isEmpty
        }
    }
}
