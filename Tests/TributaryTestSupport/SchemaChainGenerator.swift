public import SyncModel

/// Generates random schemas, random edits of them, chains of versions and random changes over
/// such a chain, for the schema-compatibility property tests.
///
/// A chain is built only from edits that ``Schema/isCompatibleSuccessor(of:)`` accepts, out of a
/// mix of additive and breaking edits: were the rule to let a breaking edit through, the chain
/// would contain it and the properties (monotonic validity, convergence across versions) could fail.
public struct SchemaChainGenerator {
    /// The random source; the same seed gives the same schemas and changes.
    public var random: SeededRandom

    /// Creates a generator.
    public init(seed: UInt64) {
        self.random = SeededRandom(seed: seed)
    }

    static let pool = ["a", "b", "c", "d", "e", "f", "g", "h"]
    static let kinds: [ValueKind] = [.string, .text, .int, .number, .bool, .date, .ref, .enum, .set]

    /// A random consistent schema, version 1: an org unit type `unit` and one to three types
    /// scoped by it, with fields of every kind, policies, limits and ranges.
    public mutating func baseSchema() -> Schema {
        var types = [
            "unit": RecordType(
                description: "an org unit", scopeField: nil,
                fields: ["name": FieldSpec(kind: .string), "parentId": FieldSpec(kind: .ref, ref: "unit")])
        ]
        for index in 0..<Int.random(in: 1...3, using: &random) {
            types["t\(index)"] = randomType()
        }
        return try! Schema(name: "chain", version: 1, types: types)
    }

    /// A chain of `length` versions, each a compatible successor of the one before, and how many
    /// candidate edits the rule refused on the way.
    public mutating func chain(length: Int) -> (schemas: [Schema], refused: Int) {
        var schemas = [baseSchema()]
        var refused = 0
        var attempts = 0
        while schemas.count < length, attempts < 500 {
            attempts += 1
            let last = schemas[schemas.count - 1]
            guard let candidate = random.chance(0.35) ? breakingEdit(of: last) : additiveEdit(of: last) else { continue }
            if candidate.isCompatibleSuccessor(of: last) {
                schemas.append(candidate)
            } else {
                refused += 1
            }
        }
        return (schemas, refused)
    }

    // MARK: Types and fields

    mutating func randomType() -> RecordType {
        let appendOnly = random.chance(0.2)
        var fields = ["unit": FieldSpec(kind: .ref, ref: "unit", required: true)]
        for index in 0..<Int.random(in: 2...6, using: &random) {
            fields["f\(index)"] = randomField(appendOnly: appendOnly)
        }
        return RecordType(description: "a type", scopeField: "unit", appendOnly: appendOnly, fields: fields)
    }

    mutating func randomField(appendOnly: Bool, required: Bool? = nil) -> FieldSpec {
        var kind = pick(Self.kinds)
        while appendOnly && kind == .set { kind = pick(Self.kinds) }
        var spec = FieldSpec(kind: kind, policy: random.chance(0.8) ? .lww : .immutable)
        spec.required = required ?? random.chance(0.3)
        spec.personal = random.chance(0.1)
        switch kind {
        case .string, .text:
            if random.chance(0.5) { spec.maxLength = Int.random(in: 1...(kind == .string ? 12 : 30), using: &random) }
        case .int:
            if random.chance(0.5) { spec.minimum = Double(Int.random(in: -10...0, using: &random)) }
            if random.chance(0.5) { spec.maximum = Double(Int.random(in: 0...10, using: &random)) }
        case .number:
            if random.chance(0.5) { spec.minimum = Double(Int.random(in: -40...0, using: &random)) / 4 }
            if random.chance(0.5) { spec.maximum = Double(Int.random(in: 0...40, using: &random)) / 4 }
        case .enum:
            spec.values = Array(Self.pool.shuffled(using: &random).prefix(Int.random(in: 2...5, using: &random)))
            if random.chance(0.4) { spec.policy = .forward }
        case .set:
            spec.policy = .set
            spec.ref = random.chance(0.5) ? "unit" : nil
        case .ref:
            spec.ref = "unit"
        case .bool, .date:
            break
        }
        return spec
    }

    // MARK: Edits

    /// A random edit the rule should accept: a new type or optional field, a new enum value or
    /// forward state at the end, a longer limit, a wider range, a field made optional, or a
    /// cosmetic change. `nil` when the schema offers no place for the edit drawn.
    public mutating func additiveEdit(of schema: Schema) -> Schema? {
        var types = schema.types
        switch Int.random(in: 0..<8, using: &random) {
        case 0:
            let name = "t\(types.count + Int.random(in: 0...50, using: &random))"
            guard types[name] == nil else { return nil }
            types[name] = randomType()
        case 1:
            guard let (type, _) = pickField(types, where: { _ in true }) else { return nil }
            let name = "g\(Int.random(in: 0...99, using: &random))"
            guard types[type]!.fields[name] == nil else { return nil }
            types[type]!.fields[name] = randomField(appendOnly: types[type]!.appendOnly, required: false)
        case 2:
            guard let (type, field) = pickField(types, where: { $0.kind == .enum }) else { return nil }
            var spec = types[type]!.fields[field]!
            guard let new = Self.pool.first(where: { !spec.values.contains($0) }) else { return nil }
            let forward = types[type]!.effectivePolicy(of: field) == .forward
            spec.values.insert(new, at: forward ? spec.values.count : Int.random(in: 0...spec.values.count, using: &random))
            types[type]!.fields[field] = spec
        case 3:
            guard let (type, field) = pickField(types, where: { $0.maxLength != nil }) else { return nil }
            let spec = types[type]!.fields[field]!
            let limit = FieldSpec.lengthLimit(of: spec.kind)!
            types[type]!.fields[field]!.maxLength = random.chance(0.3) ? nil : min(limit, spec.maxLength! + Int.random(in: 1...5, using: &random))
        case 4:
            guard let (type, field) = pickField(types, where: { $0.minimum != nil || $0.maximum != nil }) else { return nil }
            var spec = types[type]!.fields[field]!
            if let low = spec.minimum { spec.minimum = random.chance(0.3) ? nil : low - Double(Int.random(in: 0...3, using: &random)) }
            if let high = spec.maximum { spec.maximum = random.chance(0.3) ? nil : high + Double(Int.random(in: 0...3, using: &random)) }
            types[type]!.fields[field] = spec
        case 5:
            guard let (type, field) = pickField(types, where: \.required) else { return nil }
            types[type]!.fields[field]!.required = false
        case 6:
            guard let type = types.keys.sorted().randomElement(using: &random) else { return nil }
            types[type]!.description += " (revised)"
        default:
            guard let (type, field) = pickField(types, where: { $0.kind == .enum }),
                types[type]!.effectivePolicy(of: field) != .forward
            else { return nil }
            types[type]!.fields[field]!.values.shuffle(using: &random)
        }
        return try? Schema(name: schema.name, version: schema.version + 1, types: types)
    }

    /// A random edit the rule should refuse (unless it happens to change nothing): a removed or
    /// retyped field, a changed policy, fewer enum values, a state inserted before the end, a
    /// shorter limit or narrower range, a new required field, a changed ref, scope, append-only
    /// or personal flag, or a wrong version number.
    public mutating func breakingEdit(of schema: Schema) -> Schema? {
        var types = schema.types
        var version = schema.version + 1
        let any: (FieldSpec) -> Bool = { _ in true }
        switch Int.random(in: 0..<13, using: &random) {
        case 0:
            guard let (type, field) = pickField(types, where: any), field != "unit" else { return nil }
            types[type]!.fields[field] = nil
        case 1:
            guard let type = types.keys.filter({ $0 != "unit" }).sorted().randomElement(using: &random) else { return nil }
            types[type] = nil
        case 2:
            guard let (type, field) = pickField(types, where: { [.int, .number, .string, .text].contains($0.kind) }) else { return nil }
            let spec = types[type]!.fields[field]!
            types[type]!.fields[field] = FieldSpec(
                kind: [.int: .number, .number: .int, .string: .text, .text: .string][spec.kind]!, policy: spec.policy,
                required: spec.required, personal: spec.personal)
        case 3:
            guard let (type, field) = pickField(types, where: { $0.policy == .lww || $0.policy == .immutable }) else { return nil }
            types[type]!.fields[field]!.policy = types[type]!.fields[field]!.policy == .lww ? .immutable : .lww
        case 4:
            guard let (type, field) = pickField(types, where: { $0.kind == .enum && $0.values.count > 2 }) else { return nil }
            let count = types[type]!.fields[field]!.values.count
            types[type]!.fields[field]!.values.remove(at: Int.random(in: 0..<count, using: &random))
        case 5:
            guard let (type, field) = pickField(types, where: { $0.policy == .forward }) else { return nil }
            var states = types[type]!.fields[field]!.values
            if random.chance(0.5) {
                // Two states swapped: the order decides which state wins.
                let first = Int.random(in: 0..<(states.count - 1), using: &random)
                states.swapAt(first, Int.random(in: (first + 1)..<states.count, using: &random))
            } else {
                guard let new = Self.pool.first(where: { !states.contains($0) }) else { return nil }
                states.insert(new, at: Int.random(in: 0..<states.count, using: &random))
            }
            types[type]!.fields[field]!.values = states
        case 6:
            guard let (type, field) = pickField(types, where: { FieldSpec.lengthLimit(of: $0.kind) != nil }) else { return nil }
            let limit = types[type]!.fields[field]!.effectiveMaxLength!
            guard limit > 1 else { return nil }
            types[type]!.fields[field]!.maxLength = Int.random(in: 1..<min(limit, 40), using: &random)
        case 7:
            guard let (type, field) = pickField(types, where: { $0.kind == .int || $0.kind == .number }) else { return nil }
            var spec = types[type]!.fields[field]!
            if random.chance(0.5) {
                spec.minimum = (spec.minimum ?? -12) + 1
                if let high = spec.maximum, high < spec.minimum! { spec.maximum = spec.minimum }
            } else {
                spec.maximum = (spec.maximum ?? 12) - 1
                if let low = spec.minimum, low > spec.maximum! { spec.minimum = spec.maximum }
            }
            types[type]!.fields[field] = spec
        case 8:
            guard let (type, field) = pickField(types, where: { !$0.required }) else { return nil }
            types[type]!.fields[field]!.required = true
        case 9:
            guard let type = types.keys.filter({ $0 != "unit" }).sorted().randomElement(using: &random) else { return nil }
            let name = "r\(Int.random(in: 0...99, using: &random))"
            guard types[type]!.fields[name] == nil else { return nil }
            types[type]!.fields[name] = randomField(appendOnly: types[type]!.appendOnly, required: true)
        case 10:
            guard let type = types.keys.filter({ $0 != "unit" }).sorted().randomElement(using: &random) else { return nil }
            types[type]!.appendOnly.toggle()
        case 11:
            // The scope field stays a ref to the unit type (the schema would be inconsistent otherwise).
            guard let (type, field) = pickField(types, where: { $0.kind == .ref || $0.kind == .set }), field != "unit" else { return nil }
            let ref = types[type]!.fields[field]!.ref
            types[type]!.fields[field]!.ref = ref == "unit" ? nil : "unit"
        default:
            if random.chance(0.5) {
                guard let (type, field) = pickField(types, where: any) else { return nil }
                types[type]!.fields[field]!.personal.toggle()
            } else {
                version = random.chance(0.5) ? schema.version : schema.version + 2
            }
        }
        return try? Schema(name: schema.name, version: version, types: types)
    }

    // MARK: Picking

    mutating func pick<T>(_ values: [T]) -> T {
        values[Int.random(in: 0..<values.count, using: &random)]
    }

    /// A random (type, field) whose spec satisfies `test`, or `nil` when there is none.
    mutating func pickField(_ types: [String: RecordType], where test: (FieldSpec) -> Bool) -> (String, String)? {
        let candidates = types.keys.sorted().flatMap { type in
            types[type]!.fields.filter { test($0.value) }.keys.sorted().map { (type, $0) }
        }
        return candidates.isEmpty ? nil : pick(candidates)
    }
}
