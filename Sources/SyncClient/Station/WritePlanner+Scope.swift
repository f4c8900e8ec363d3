import SyncModel
import SyncStore

extension WritePlanner {
    /// Refuses a write that would leave or touch anything outside the station's subtree.
    ///
    /// The record's new scope must lie in the subtree and, when the write moves the record,
    /// so must its old one. A record with further scope fields (a transfer) is in scope when
    /// any of its units is. An org unit is in scope when it is the station's unit or its
    /// parents lead there, with the parent being written taken into account.
    func checkScope(
        id: String, type: String, recordType: RecordType, scope: String, values: [String: FieldValue],
        current: RecordState?, label: String? = nil
    ) throws {
        let label = label ?? "\(type) \(id)"
        let tree = OrgTree(store: store, db: db)
        if recordType.scopeField == nil {
            let pending = values.keys.contains(tree.parentField) ? (id: id, parent: values[tree.parentField]?.stringValue) : nil
            guard try tree.contains(id, in: org, pending: pending) else { throw outOfScope(label, scope: id) }
            if current != nil, pending != nil, !(try tree.contains(id, in: org)) {
                throw outOfScope(label, scope: id)
            }
            return
        }
        func units(_ values: [String: FieldValue], _ record: RecordState?, scope: String) -> [String] {
            [scope]
                + recordType.alsoScopeFields.compactMap {
                    (values[$0] ?? record?.fields[$0]?.winner.value)?.stringValue
                }
        }
        let newUnits = units(values, current, scope: scope)
        guard try newUnits.contains(where: { try tree.contains($0, in: org) }) else {
            throw outOfScope(label, scope: scope)
        }
        if let current {
            let oldScope = self.scope(of: current, recordType: recordType)
            let oldUnits = units([:], current, scope: oldScope)
            if oldUnits != newUnits, !(try oldUnits.contains(where: { try tree.contains($0, in: org) })) {
                throw outOfScope(label, scope: oldScope)
            }
        }
    }

    /// Refuses touching an existing record (delete, restore, resolve) outside the subtree.
    func checkScope(of record: RecordState, recordType: RecordType) throws {
        try checkScope(
            id: record.key.id, type: record.key.type, recordType: recordType,
            scope: scope(of: record, recordType: recordType), values: [:], current: record)
    }

    func outOfScope(_ label: String, scope: String) -> SyncError {
        SyncError(
            .outOfScope,
            "\(label) belongs to org unit \(scope), which is not \(org) or under it in this replica's org tree; this station writes only inside \(org)"
        )
    }
}
