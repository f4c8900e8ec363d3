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
    /// For `string` and `text` fields, the most characters a value may have; `nil` means the
    /// kind's own limit (1,024 or 65,536).
    public var maxLength: Int?
    /// For `int` and `number` fields, the smallest value allowed (`min` in the document);
    /// `nil` means no lower bound beyond the kind's.
    public var minimum: Double?
    /// For `int` and `number` fields, the largest value allowed (`max` in the document);
    /// `nil` means no upper bound beyond the kind's.
    public var maximum: Double?

    /// Creates a field specification.
    public init(
        kind: ValueKind, policy: MergePolicy = .lww, values: [String] = [], ref: String? = nil,
        required: Bool = false, personal: Bool = false, maxLength: Int? = nil, minimum: Double? = nil,
        maximum: Double? = nil
    ) {
        self.kind = kind
        self.policy = policy
        self.values = values
        self.ref = ref
        self.required = required
        self.personal = personal
        self.maxLength = maxLength
        self.minimum = minimum
        self.maximum = maximum
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
        try checkLimits(path: path)
    }
}

extension FieldSpec: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, policy, values, ref, required, personal, maxLength
        case minimum = "min", maximum = "max"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try c.decode(ValueKind.self, forKey: .kind)
        self.policy = try c.decodeIfPresent(MergePolicy.self, forKey: .policy) ?? (kind == .set ? .set : .lww)
        self.values = try c.decodeIfPresent([String].self, forKey: .values) ?? []
        self.ref = try c.decodeIfPresent(String.self, forKey: .ref)
        self.required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        self.personal = try c.decodeIfPresent(Bool.self, forKey: .personal) ?? false
        self.maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
        self.minimum = try c.decodeIfPresent(Double.self, forKey: .minimum)
        self.maximum = try c.decodeIfPresent(Double.self, forKey: .maximum)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(policy, forKey: .policy)
        if !values.isEmpty { try c.encode(values, forKey: .values) }
        try c.encodeIfPresent(ref, forKey: .ref)
        if required { try c.encode(required, forKey: .required) }
        if personal { try c.encode(personal, forKey: .personal) }
        try c.encodeIfPresent(maxLength, forKey: .maxLength)
        try Self.encode(bound: minimum, forKey: .minimum, in: &c)
        try Self.encode(bound: maximum, forKey: .maximum, in: &c)
    }

    /// A whole bound is written as an integer (`5`, not `5.0`), as people write it.
    private static func encode(bound: Double?, forKey key: CodingKeys, in c: inout KeyedEncodingContainer<CodingKeys>) throws {
        guard let bound else { return }
        if bound == bound.rounded(), abs(bound) < CanonicalJSON.numberLimit {
            try c.encode(Int64(bound), forKey: key)
        } else {
            try c.encode(bound, forKey: key)
        }
    }
}
