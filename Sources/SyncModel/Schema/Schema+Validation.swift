/// How a receiver checks a change before it applies it.
public struct ValidationContext: Sendable {
    /// The receiver's wall clock, in milliseconds since the Unix epoch.
    public var wallMillis: UInt64
    /// How far ahead of the receiver's wall clock a change's clock may be.
    public var maxDriftMillis: UInt64

    /// The default allowed drift: ten minutes.
    public static let defaultMaxDriftMillis: UInt64 = 10 * 60 * 1000

    /// Creates a validation context.
    public init(wallMillis: UInt64, maxDriftMillis: UInt64 = ValidationContext.defaultMaxDriftMillis) {
        self.wallMillis = wallMillis
        self.maxDriftMillis = maxDriftMillis
    }
}

extension Schema {
    /// Checks `change` against the schema and returns it in canonical form (an integer
    /// written to a number field becomes a number), or throws the reason it is refused.
    ///
    /// Validation depends only on the change, the schema and the receiver's clock, never on
    /// what the receiver already holds, so that every replica refuses the same changes.
    public func validate(_ change: Change, in context: ValidationContext) throws(SyncError) -> Change {
        var change = change
        guard change.seq >= 1 else {
            throw SyncError(.malformedChange, "seq starts at 1; got 0 from site \(change.site)")
        }
        guard let recordType = types[change.type] else {
            throw SyncError(.unknownType, "there is no record type \"\(change.type)\" in schema \(name) v\(version)")
        }
        guard Identifier.isValidID(change.id) else {
            throw SyncError(.malformedID, "record id \"\(change.id.prefix(40))\" is not 1–128 characters of A–Z a–z 0–9 - _ . :")
        }
        guard Identifier.isValidID(change.scope) else {
            throw SyncError(.malformedID, "scope \"\(change.scope.prefix(40))\" is not a valid org unit id")
        }
        guard let spec = field(change.field, of: change.type) else {
            throw SyncError(.unknownField, "\(change.type) has no field \"\(change.field)\"")
        }
        guard change.bases.count <= 64, change.bases.allSatisfy({ $0.hlc < change.hlc }) else {
            throw SyncError(.malformedChange, "a change lists at most 64 bases, each older than the change itself")
        }
        if recordType.appendOnly && (change.field == Schema.deletedField || !change.bases.isEmpty) {
            throw SyncError(
                .appendOnly,
                "\(change.type) records are append-only: they are never edited or deleted (write a correcting entry instead)")
        }
        if spec.policy == .immutable && !change.bases.isEmpty {
            throw SyncError(.immutableField, "\(change.type).\(change.field) is written once, at creation, and never changed")
        }
        let placesRecord = change.field == recordType.scopeField || recordType.alsoScopeFields.contains(change.field)
        change.value = try canonicalValue(change, spec: spec, placesRecord: placesRecord)
        let (limit, overflow) = context.wallMillis.addingReportingOverflow(context.maxDriftMillis)
        if !overflow, change.hlc.millis > limit {
            let ahead = (change.hlc.millis - context.wallMillis) / 1000
            throw SyncError(
                .clockSkew,
                "the change's clock is \(ahead) s ahead of this replica's clock (at most \(context.maxDriftMillis / 1000) s allowed); check the writer's date and time"
            )
        }
        return change
    }

    private func canonicalValue(_ change: Change, spec: FieldSpec, placesRecord: Bool) throws(SyncError) -> FieldValue {
        // Only error sentences need the path; built on demand, not for every valid change.
        var path: String { "\(change.type).\(change.field)" }
        if spec.kind == .set {
            guard let element = change.element else {
                throw SyncError(.malformedChange, "\(path) is a set: a change names the element (\"elem\") it adds or removes")
            }
            guard Identifier.isValidID(element) else {
                throw SyncError(.malformedID, "set element \"\(element.prefix(40))\" of \(path) is not a valid id")
            }
            guard case .bool = change.value else {
                throw SyncError(.wrongKind, "\(path)[\(element)] takes true (present) or false (absent), not \(change.value.kindName)")
            }
            return change.value
        }
        guard change.element == nil else {
            throw SyncError(.malformedChange, "\(path) is not a set field, so a change to it has no \"elem\"")
        }
        let value = change.value
        if value == .null {
            guard spec.policy != .forward else {
                throw SyncError(.invalidValue, "\(path) moves through states and cannot be cleared")
            }
            // A record always lies in an org unit (SPEC §3, §10 "Scope"): move it instead.
            guard !placesRecord else {
                throw SyncError(.invalidValue, "\(path) names the record's org unit and cannot be cleared; write another unit to move the record")
            }
            return .null
        }
        func wrongKind(_ expected: String) -> SyncError {
            SyncError(.wrongKind, "\(path) takes \(expected), not \(value.kindName)")
        }
        switch spec.kind {
        case .string, .text:
            guard case .string(let s) = value else { throw wrongKind("text") }
            let limit = spec.maxLength ?? (spec.kind == .string ? 1_024 : 65_536)
            // A string has at most as many scalars as UTF-8 bytes (counted in O(1)).
            if s.utf8.count > limit {
                let length = s.unicodeScalars.count
                guard length <= limit else {
                    throw SyncError(.invalidValue, "\(path) is at most \(limit) characters; got \(length)")
                }
            }
            guard !s.utf8.contains(0) else {
                throw SyncError(.invalidValue, "\(path) may not contain the NUL character (U+0000)")
            }
        case .int:
            // A JSON number whose six-decimal rounding is whole arrives as `.int` (JSONNumber);
            // `.number(±∞)` stands for one outside the 64-bit range; any other `.number` is not
            // a whole number, which is a different kind (as in JSON Schema's "integer").
            switch value {
            case .int(let i): try checkRange(Double(i), shown: String(i), spec: spec, path: path)
            case .number(let d) where d.isInfinite:
                throw SyncError(.invalidValue, "\(path) takes a whole number from -9223372036854775808 to 9223372036854775807")
            default: throw wrongKind("a whole number")
            }
        case .number:
            // Rounded first, then held to the limit: the held value must pass again unchanged.
            var tooLarge: SyncError { SyncError(.invalidValue, "\(path) takes a number below 10^12 in magnitude") }
            let number: Double
            switch value {
            case .int(let i):
                guard i.magnitude < 1_000_000_000_000 else { throw tooLarge }
                number = Double(i)
            case .number(let d):
                guard d.isFinite, abs(d) < CanonicalJSON.numberLimit else { throw tooLarge }
                number = CanonicalJSON.roundedNumber(d)
                guard abs(number) < CanonicalJSON.numberLimit else { throw tooLarge }
            default: throw wrongKind("a number")
            }
            // The range holds the value as replicas keep it: rounded to six decimals.
            try checkRange(number, shown: CanonicalJSON.numberText(number), spec: spec, path: path)
            return .number(number)
        case .bool:
            guard case .bool = value else { throw wrongKind("true or false") }
        case .date:
            guard case .string(let s) = value else { throw wrongKind("a date YYYY-MM-DD") }
            guard DateText.isValid(s) else { throw SyncError(.invalidValue, "\(path) takes a date YYYY-MM-DD; \"\(s.prefix(20))\" is not one") }
        case .ref:
            guard case .string(let s) = value else { throw wrongKind("a record id") }
            guard Identifier.isValidID(s) else { throw SyncError(.malformedID, "\(path) refers to \"\(s.prefix(40))\", which is not a valid id") }
        case .enum:
            guard case .string(let s) = value else { throw wrongKind("one of \(spec.values.joined(separator: ", "))") }
            guard spec.values.contains(s) else {
                throw SyncError(.invalidValue, "\(path) is one of \(spec.values.joined(separator: ", ")); \"\(s.prefix(40))\" is not")
            }
        case .set:
            break  // handled above
        }
        return value
    }

    private func checkRange(
        _ value: Double, shown: @autoclosure () -> String, spec: FieldSpec, path: @autoclosure () -> String
    ) throws(SyncError) {
        guard !spec.isInRange(value) else { return }
        throw SyncError(.invalidValue, "\(path()) is \(spec.rangeText ?? "in range"); got \(shown())")
    }
}

/// Calendar dates as text, `YYYY-MM-DD` (proleptic Gregorian).
public enum DateText {
    /// Whether `text` is a real calendar date written `YYYY-MM-DD`.
    public static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isValid(utf8: $0) }
    }

    private static func isValid(utf8 b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return n
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = switch month {
            case 2: leap ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        return day <= days
    }
}
