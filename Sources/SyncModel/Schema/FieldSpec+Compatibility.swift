extension FieldSpec {
    /// The differences of this field from `old`, the same field of the same type in the
    /// current schema. `oldType` and `newType` give the policy fields really follow (every field
    /// of an append-only type is immutable).
    func differences(
        from old: FieldSpec, path: String, type: String, field: String, oldType: RecordType, newType: RecordType
    ) -> [SchemaDifference] {
        var found: [SchemaDifference] = []
        func add(_ aspect: SchemaDifference.Aspect, _ impact: SchemaDifference.Impact, _ sentence: String) {
            found.append(.init(type: type, field: field, aspect: aspect, impact: impact, sentence: sentence))
        }
        guard kind == old.kind else {
            // Values, limits and ranges of another kind mean nothing to compare.
            add(.kind, .breaking,
                "\(path) would change kind from \(old.kind.rawValue) to \(kind.rawValue): values written before would be refused")
            return found
        }
        let oldPolicy = oldType.appendOnly ? .immutable : old.policy
        let newPolicy = newType.appendOnly ? .immutable : policy
        if newPolicy != oldPolicy {
            add(.policy, .breaking,
                "\(path) would change policy from \(oldPolicy.rawValue) to \(newPolicy.rawValue): replicas would merge its writes differently")
        } else if policy != old.policy {
            add(.policy, .cosmetic, "\(path) declares policy \(policy.rawValue) instead of \(old.policy.rawValue); every field of an append-only type is immutable")
        }
        if kind == .enum {
            found += valueDifferences(from: old, path: path, type: type, field: field, forward: oldPolicy == .forward && newPolicy == .forward)
        }
        if ref != old.ref {
            add(.ref, .breaking, "\(path) would refer to \(ref ?? "no type") instead of \(old.ref ?? "no type")")
        }
        if required != old.required {
            if required {
                add(.required, .breaking, "\(path) would become required: records created without it under the older version would lack it")
            } else {
                add(.required, .additive, "\(path) is made optional")
            }
        }
        if personal != old.personal {
            add(.personal, .breaking,
                personal
                    ? "\(path) would become personal: its values have already reached stations outside the record's scope and cannot be called back; add a new personal field instead"
                    : "\(path) would stop being personal: stations outside the record's scope never received its values, so they could not hold what the hub holds")
        }
        if let limit = effectiveMaxLength, let oldLimit = old.effectiveMaxLength {
            if limit < oldLimit {
                add(.maxLength, .breaking, "\(path) would allow \(limit) characters instead of \(oldLimit): longer values written before would be refused")
            } else if limit > oldLimit {
                add(.maxLength, .additive, "\(path) allows \(limit) characters instead of \(oldLimit)")
            } else if maxLength != old.maxLength {
                add(.maxLength, .cosmetic, "\(path) states its kind's limit of \(limit) characters \(maxLength == nil ? "no longer" : "explicitly")")
            }
        }
        if takesRange, minimum != old.minimum || maximum != old.maximum {
            let wider = (minimum ?? -.infinity) <= (old.minimum ?? -.infinity) && (maximum ?? .infinity) >= (old.maximum ?? .infinity)
            let from = old.rangeText ?? "any value", to = rangeText ?? "any value"
            if wider {
                add(.range, .additive, "\(path) takes a wider range (\(from) → \(to))")
            } else {
                add(.range, .breaking, "\(path) would take a narrower range (\(from) → \(to)): values written before may lie outside it")
            }
        }
        return found
    }

    /// Enum values may be added anywhere (their order means nothing); forward states only after
    /// the last one, since their order decides which state wins.
    private func valueDifferences(
        from old: FieldSpec, path: String, type: String, field: String, forward: Bool
    ) -> [SchemaDifference] {
        var found: [SchemaDifference] = []
        func add(_ impact: SchemaDifference.Impact, _ sentence: String) {
            found.append(.init(type: type, field: field, aspect: .values, impact: impact, sentence: sentence))
        }
        guard values != old.values else { return found }
        if forward {
            if values.starts(with: old.values) {
                add(.additive, "\(path) gains states \(values.dropFirst(old.values.count).joined(separator: ", ")) after its last one")
            } else {
                let removed = old.values.filter { !values.contains($0) }
                let why = if !removed.isEmpty {
                    "it loses \(removed.joined(separator: ", ")), which changes already written may hold"
                } else if values.filter(old.values.contains) != old.values {
                    "their order decides which state wins, so replicas would merge existing writes differently"
                } else {
                    "a state is added only after the last one (records already past its place never went through it)"
                }
                add(.breaking,
                    "\(path) would change its states from \(old.values.joined(separator: " → ")) to \(values.joined(separator: " → ")): \(why)")
            }
            return found
        }
        let added = values.filter { !old.values.contains($0) }
        let removed = old.values.filter { !values.contains($0) }
        if !added.isEmpty {
            add(.additive, "\(path) gains values \(added.joined(separator: ", "))")
        }
        if !removed.isEmpty {
            add(.breaking, "\(path) would lose values \(removed.joined(separator: ", ")): changes written with them would be refused")
        }
        if added.isEmpty, removed.isEmpty {
            add(.cosmetic, "\(path) lists its values in another order")
        }
        return found
    }
}
