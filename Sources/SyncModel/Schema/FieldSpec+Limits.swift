/// Limits a schema may set on values: the length of `string` and `text` values (`maxLength`)
/// and the range of `int` and `number` values (`min`, `max`). Absent keys mean the kind's own
/// limits (SPEC §3), so a schema without them validates as before.
extension FieldSpec {
    /// The most characters (Unicode scalar values) the kind itself allows: 1,024 for
    /// `string`, 65,536 for `text`, `nil` for other kinds.
    public static func lengthLimit(of kind: ValueKind) -> Int? {
        switch kind {
        case .string: 1_024
        case .text: 65_536
        default: nil
        }
    }

    /// The most characters a value of this field may have: `maxLength`, or the kind's limit.
    public var effectiveMaxLength: Int? {
        maxLength ?? Self.lengthLimit(of: kind)
    }

    /// Whether the field's kind takes `min` and `max`.
    var takesRange: Bool { kind == .int || kind == .number }

    /// Whether `value` lies in the field's range (`min` and `max` included). Bounds are whole
    /// numbers for `int` fields and lie below 10^12 in magnitude, so comparing a 64-bit
    /// integer converted to `Double` with them is exact.
    func isInRange(_ value: Double) -> Bool {
        if let minimum, value < minimum { return false }
        if let maximum, value > maximum { return false }
        return true
    }

    /// The range for people: `from 1 to 5`, `at least 0`, `at most 24`; `nil` without bounds.
    public var rangeText: String? {
        switch (minimum, maximum) {
        case (let low?, let high?): "from \(CanonicalJSON.numberText(low)) to \(CanonicalJSON.numberText(high))"
        case (let low?, nil): "at least \(CanonicalJSON.numberText(low))"
        case (nil, let high?): "at most \(CanonicalJSON.numberText(high))"
        case (nil, nil): nil
        }
    }

    func checkLimits(path: String) throws(SyncError) {
        if let maxLength {
            guard let limit = Self.lengthLimit(of: kind) else {
                throw SyncError(.schemaInvalid, "\(path): maxLength is for string and text fields only")
            }
            guard (1...limit).contains(maxLength) else {
                throw SyncError(.schemaInvalid, "\(path): maxLength is from 1 to \(limit) for a \(kind.rawValue) field; got \(maxLength)")
            }
        }
        guard minimum != nil || maximum != nil else { return }
        guard takesRange else {
            throw SyncError(.schemaInvalid, "\(path): min and max are for int and number fields only")
        }
        for bound in [minimum, maximum].compactMap({ $0 }) {
            guard bound.isFinite, abs(bound) < CanonicalJSON.numberLimit else {
                throw SyncError(.schemaInvalid, "\(path): min and max are numbers below 10^12 in magnitude")
            }
            guard kind == .number || bound == bound.rounded() else {
                throw SyncError(.schemaInvalid, "\(path): min and max of an int field are whole numbers")
            }
        }
        if let minimum, let maximum, minimum > maximum {
            throw SyncError(.schemaInvalid, "\(path): min (\(CanonicalJSON.numberText(minimum))) is above max (\(CanonicalJSON.numberText(maximum)))")
        }
    }
}
