/// One record type of a ``Schema``.
public struct RecordType: Hashable, Sendable {
    /// What the type is, for people.
    public var description: String
    /// The field holding the record's org unit, or `nil` when the record *is* an org unit
    /// (its scope is its own id).
    public var scopeField: String?
    /// Further ref fields whose org units also see the record (a transfer is in the scope of
    /// both its units).
    public var alsoScopeFields: [String]
    /// Whether records of this type are never edited or deleted once written.
    public var appendOnly: Bool
    /// The fields by name (without the implicit `_deleted`).
    public var fields: [String: FieldSpec]

    /// Creates a record type.
    public init(
        description: String = "", scopeField: String?, alsoScopeFields: [String] = [], appendOnly: Bool = false,
        fields: [String: FieldSpec]
    ) {
        self.description = description
        self.scopeField = scopeField
        self.alsoScopeFields = alsoScopeFields
        self.appendOnly = appendOnly
        self.fields = fields
    }

    /// The policy a field of this type really follows: every field of an append-only type is
    /// immutable whatever the document says.
    public func effectivePolicy(of field: String) -> MergePolicy? {
        if field == Schema.deletedField { return .lww }
        guard let spec = fields[field] else { return nil }
        return appendOnly ? .immutable : spec.policy
    }

    func check(typeName: String) throws(SyncError) {
        for (fieldName, spec) in fields {
            guard Identifier.isValidName(fieldName), !fieldName.hasPrefix("_") else {
                throw SyncError(.schemaInvalid, "\(typeName): field name \"\(fieldName)\" is not a valid name")
            }
            try spec.check(path: "\(typeName).\(fieldName)")
            if appendOnly && spec.policy == .set {
                throw SyncError(.schemaInvalid, "\(typeName).\(fieldName): an append-only type cannot have a set field")
            }
        }
        for scope in [scopeField].compactMap({ $0 }) + alsoScopeFields {
            guard let spec = fields[scope], spec.kind == .ref, spec.policy != .set else {
                throw SyncError(.schemaInvalid, "\(typeName): scope field \"\(scope)\" must be a ref field of the type")
            }
        }
        // A record lies in at most two units (SPEC §10 "Scope"): its own and a second one.
        guard alsoScopeFields.count <= 1, scopeField != nil || alsoScopeFields.isEmpty else {
            throw SyncError(.schemaInvalid, "\(typeName): a type names at most one further scope field, and only beside its scopeField")
        }
    }
}

extension RecordType: Codable {
    enum CodingKeys: String, CodingKey { case description, scopeField, alsoScopeFields, appendOnly, fields }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        self.scopeField = try c.decodeIfPresent(String.self, forKey: .scopeField)
        self.alsoScopeFields = try c.decodeIfPresent([String].self, forKey: .alsoScopeFields) ?? []
        self.appendOnly = try c.decodeIfPresent(Bool.self, forKey: .appendOnly) ?? false
        self.fields = try c.decode([String: FieldSpec].self, forKey: .fields)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !description.isEmpty { try c.encode(description, forKey: .description) }
        try c.encodeIfPresent(scopeField, forKey: .scopeField)
        if !alsoScopeFields.isEmpty { try c.encode(alsoScopeFields, forKey: .alsoScopeFields) }
        if appendOnly { try c.encode(appendOnly, forKey: .appendOnly) }
        try c.encode(fields, forKey: .fields)
    }
}
