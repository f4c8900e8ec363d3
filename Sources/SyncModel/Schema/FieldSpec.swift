/// One field of a ``RecordType``: its kind, merge policy and constraints.
public struct FieldSpec: Hashable, Sendable {
    /// The kind of value.
    public var kind: ValueKind
    /// How concurrent writes are reconciled.
    public var policy: MergePolicy
    /// For `enum` fields the allowed values; for `forward` fields the states in order.
    public var values: [String]
    /// For `ref` fields (and `set` fields of ids), the record type referred to.
    public var ref: String?
    /// Whether a record must be created with this field.
    public var required: Bool
    /// Whether this is personal data (phone, id number): never logged, never leaves the
    /// record's own scope.
    public var personal: Bool

    /// Creates a field specification.
    public init(
        kind: ValueKind, policy: MergePolicy = .lww, values: [String] = [], ref: String? = nil,
        required: Bool = false, personal: Bool = false
    ) {
        self.kind = kind
        self.policy = policy
        self.values = values
        self.ref = ref
        self.required = required
        self.personal = personal
    }

    /// The implicit `_deleted` field.
    public static let deleted = FieldSpec(kind: .bool, policy: .lww)

    /// The position of `state` in a forward field's ordered states.
    public func rank(of state: String) -> Int? {
        values.firstIndex(of: state)
    }

    func check(path: String) throws(SyncError) {
        switch policy {
        case .forward:
            guard kind == .enum, values.count >= 2, Set(values).count == values.count else {
                throw SyncError(.schemaInvalid, "\(path): a forward field is an enum with two or more distinct states")
            }
        case .set:
            guard kind == .set else { throw SyncError(.schemaInvalid, "\(path): the set policy needs kind \"set\"") }
        case .lww, .immutable:
            guard kind != .set else { throw SyncError(.schemaInvalid, "\(path): a set field needs the set policy") }
        }
        if kind == .enum, values.isEmpty {
            throw SyncError(.schemaInvalid, "\(path): an enum field lists its values")
        }
    }
}

extension FieldSpec: Codable {
    enum CodingKeys: String, CodingKey { case kind, policy, values, ref, required, personal }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try c.decode(ValueKind.self, forKey: .kind)
        self.policy = try c.decodeIfPresent(MergePolicy.self, forKey: .policy) ?? (kind == .set ? .set : .lww)
        self.values = try c.decodeIfPresent([String].self, forKey: .values) ?? []
        self.ref = try c.decodeIfPresent(String.self, forKey: .ref)
        self.required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        self.personal = try c.decodeIfPresent(Bool.self, forKey: .personal) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(policy, forKey: .policy)
        if !values.isEmpty { try c.encode(values, forKey: .values) }
        try c.encodeIfPresent(ref, forKey: .ref)
        if required { try c.encode(required, forKey: .required) }
        if personal { try c.encode(personal, forKey: .personal) }
    }
}
