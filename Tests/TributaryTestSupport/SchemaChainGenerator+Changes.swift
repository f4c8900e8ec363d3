public import SyncModel

extension SchemaChainGenerator {
    /// `count` random changes over the types and fields of every version of `chain` (the last
    /// version holds them all): values in and out of each field's limits and range, enum values
    /// known only to later versions or to none, wrong kinds, nulls, deletes, set elements, and
    /// bases naming earlier writes of the same field, from three sites.
    public mutating func changes(over chain: [Schema], count: Int) -> [Change] {
        let latest = chain[chain.count - 1]
        let sites = (0..<3).map { _ in SiteID(rawValue: random.next() | 1) }
        var seqs = [UInt64](repeating: 0, count: sites.count)
        var written: [FieldKey: [Version]] = [:]
        var changes: [Change] = []
        let typeNames = latest.types.keys.sorted()
        for index in 0..<count {
            let typeName = pick(typeNames)
            let type = latest.types[typeName]!
            let fieldNames = type.fields.keys.sorted() + [Schema.deletedField]
            let field = pick(fieldNames)
            let scope = pick(["u1", "u2"])
            let id = typeName == "unit" ? scope : "r\(Int.random(in: 1...3, using: &random))"
            var element: String?
            let value: FieldValue
            if field == Schema.deletedField {
                value = .bool(random.chance(0.7))
            } else if type.fields[field]!.kind == .set {
                element = pick(["u1", "u2", "e1"])
                value = .bool(random.chance(0.7))
            } else if field == type.scopeField {
                value = .string(scope)
            } else {
                value = randomValue(for: type.fields[field]!)
            }
            let key = FieldKey(type: typeName, id: id, field: field, element: element)
            let site = Int.random(in: 0..<sites.count, using: &random)
            seqs[site] += 1
            let hlc = HLC(rawValue: (1_767_225_600_000 << 16) + UInt64(index) * 3 + 1)
            var bases: [Version] = []
            if let earlier = written[key], random.chance(0.4) {
                bases = [pick(earlier)]
            }
            let change = Change(
                site: sites[site], seq: seqs[site], hlc: hlc, type: typeName, id: id, scope: scope, field: field,
                element: element, value: value, bases: bases)
            written[key, default: []].append(change.version)
            changes.append(change)
        }
        return changes
    }

    /// A value for a field of `spec`: usually of its kind and near its limits (inside or just
    /// outside), now and then of another kind or `null`.
    mutating func randomValue(for spec: FieldSpec) -> FieldValue {
        if random.chance(0.05) { return .null }
        if random.chance(0.05) { return spec.kind == .int ? .string("x") : .bool(true) }
        switch spec.kind {
        case .string, .text:
            let limit = min(spec.effectiveMaxLength ?? 10, 24)
            let length = Int.random(in: 0...(limit + 3), using: &random)
            return .string(String((0..<length).map { _ in pick(["a", "名", "😀"] as [Character]) }))
        case .int:
            let low = Int(spec.minimum ?? -14) - 3, high = Int(spec.maximum ?? 14) + 3
            return .int(Int64(Int.random(in: low...high, using: &random)))
        case .number:
            let low = Int((spec.minimum ?? -14) * 4) - 6, high = Int((spec.maximum ?? 14) * 4) + 6
            let quarter = Double(Int.random(in: low...high, using: &random)) / 4
            // Now and then a seventh decimal, which rounding to six takes away.
            let noise = random.chance(0.2) ? pick([0.0000004, -0.0000004, 0.000001]) : 0
            return random.chance(0.2) && noise == 0 && quarter == quarter.rounded() ? .int(Int64(quarter)) : .number(quarter + noise)
        case .bool:
            return .bool(random.chance(0.5))
        case .date:
            return .string(random.chance(0.9) ? "2026-01-0\(Int.random(in: 1...9, using: &random))" : "2026-02-30")
        case .ref:
            return .string(pick(["u1", "u2", "r1"]))
        case .enum:
            return .string(pick(Self.pool))
        case .set:
            return .bool(true)
        }
    }
}
