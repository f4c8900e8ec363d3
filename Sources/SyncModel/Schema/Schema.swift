/// The record types a deployment syncs, their fields, value kinds and merge policies.
///
/// A schema is a JSON document (see Protocol/schema/county-work.json). Replicas that exchange
/// changes hold the same `name`; its versions form a chain of compatible successors (SPEC §9,
/// ``isCompatibleSuccessor(of:)``), so a change valid under one version is valid under every
/// later one.
public struct Schema: Hashable, Sendable {
    /// The schema's name, e.g. `county-work`.
    public var name: String
    /// The schema's version: 1, then one more for each compatible successor.
    public var version: Int
    /// The record types by name.
    public var types: [String: RecordType]

    /// The name of the field every record type has implicitly: `true` once deleted.
    public static let deletedField = "_deleted"

    /// Creates a schema and checks that it is consistent.
    public init(name: String, version: Int, types: [String: RecordType]) throws(SyncError) {
        self.name = name
        self.version = version
        self.types = types
        try check()
    }

    /// The specification of `field` of `type`, including the implicit `_deleted`.
    public func field(_ field: String, of type: String) -> FieldSpec? {
        guard let recordType = types[type] else { return nil }
        if field == Schema.deletedField { return FieldSpec.deleted }
        return recordType.fields[field]
    }

    /// The policy that decides `key`, or `nil` when the type or field is unknown.
    public func policy(of key: FieldKey) -> MergePolicy? {
        types[key.type]?.effectivePolicy(of: key.field)
    }

    private func check() throws(SyncError) {
        guard !name.isEmpty, version >= 1 else {
            throw SyncError(.schemaInvalid, "a schema needs a name and a version of 1 or more")
        }
        for (typeName, recordType) in types {
            guard Identifier.isValidName(typeName), !typeName.hasPrefix("_") else {
                throw SyncError(.schemaInvalid, "record type name \"\(typeName)\" is not a valid name")
            }
            try recordType.check(typeName: typeName)
        }
        let unitTypes = types.filter { $0.value.scopeField == nil }.keys.sorted()
        guard unitTypes.count <= 1 else {
            throw SyncError(
                .schemaInvalid,
                "only the org unit type has no scopeField (its scope is its own id); \(unitTypes.joined(separator: ", ")) all lack one")
        }
    }

    /// The org unit type: the one type without a scope field (a record of it is its own scope).
    public var orgUnitType: String? {
        types.first { $0.value.scopeField == nil }?.key
    }

    /// The field of an org unit naming its parent: `parentId`, or else the unit type's first
    /// ref field that refers to the unit type itself.
    public var orgUnitParentField: String? {
        guard let unitType = orgUnitType, let fields = types[unitType]?.fields else { return nil }
        if fields["parentId"]?.kind == .ref { return "parentId" }
        return fields.keys.sorted().first { fields[$0]?.kind == .ref && fields[$0]?.ref == unitType }
    }
}

extension Schema: Codable {
    enum CodingKeys: String, CodingKey { case name, version, types }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            name: c.decode(String.self, forKey: .name),
            version: c.decode(Int.self, forKey: .version),
            types: c.decode([String: RecordType].self, forKey: .types)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(types, forKey: .types)
    }
}
