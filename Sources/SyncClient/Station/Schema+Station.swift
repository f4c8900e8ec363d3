public import SyncModel

extension Schema {
    /// The record type named `type`, or the `unknown_type` error listing the types there are.
    public func requireType(_ type: String) throws(SyncError) -> RecordType {
        guard let recordType = types[type] else {
            let known = types.keys.sorted().joined(separator: ", ")
            throw SyncError(.unknownType, "there is no record type \"\(type)\" in schema \(name); the types are \(known)")
        }
        return recordType
    }

    /// The field `field` of `type` (not `_deleted`), or the `unknown_field` error listing
    /// the fields there are.
    public func requireField(_ field: String, of type: String) throws(SyncError) -> FieldSpec {
        let recordType = try requireType(type)
        guard let spec = recordType.fields[field] else {
            if field == Schema.deletedField {
                throw SyncError(.unknownField, "\(Schema.deletedField) is written by delete and restore, not by put")
            }
            let known = recordType.fields.keys.sorted().joined(separator: ", ")
            throw SyncError(.unknownField, "\(type) has no field \"\(field)\"; its fields are \(known)")
        }
        return spec
    }
}
