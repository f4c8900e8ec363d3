/// How a JSON number in a change's `value` becomes a field value (SPEC §3 *Numbers*). Every
/// reader of field values — the hand-written wire codec, `Codable`, stored values, typed
/// command-line input — goes through here, so that they all agree.
///
/// The number is read from its **decimal text, exactly** (never through a binary
/// approximation) and rounded half away from zero to six decimals; call that R.
/// - R whole and within −2⁶³…2⁶³−1: `.int(R)` (JSON does not tell `1961` from `1961.0`,
///   `1.961e3` or `1961.0000004`).
/// - R outside −2⁶³…2⁶³−1 (whole or not): `.number(±∞)`, which every kind refuses
///   (`invalid_value` for `int` and `number`).
/// - otherwise: `.number(d)`, d the binary64 nearest to R. An `int` field refuses it as
///   `wrong_kind` (not a whole number); a `number` field holds d.
/// - `nil` (a malformed message) when the text is not a JSON number, or its magnitude is
///   10¹⁰⁰ or more, or below 10⁻¹⁰⁰ but not zero: no field can hold such a value, and
///   bounding the exponent lets every decoder read the rest exactly.
public enum JSONNumber {
    /// The field value of a JSON number's text, or `nil` when the text is not a JSON number
    /// within the bounds above.
    public static func fieldValue(_ text: String) -> FieldValue? {
        var text = text
        return text.withUTF8 { fieldValue(utf8: $0) }
    }

    /// The field value of a JSON number's UTF-8 text (see ``fieldValue(_:)``).
    public static func fieldValue(utf8 b: UnsafeBufferPointer<UInt8>) -> FieldValue? {
        guard let decimal = Decimal6(utf8: b) else { return nil }
        return decimal.fieldValue
    }
}

/// A JSON number read exactly: sign, significant digits and a power of ten.
private struct Decimal6 {
    var negative = false
    /// Decimal digits (values 0–9), no leading or trailing zeros; empty for zero.
    var digits: [UInt8] = []
    /// The value is `digits × 10^exponent`.
    var exponent = 0

    init?(utf8 b: UnsafeBufferPointer<UInt8>) {
        let zero = UInt8(ascii: "0")
        var i = 0
        let n = b.count
        func isDigit(_ at: Int) -> Bool { at < n && b[at] &- zero <= 9 }
        if i < n, b[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard isDigit(i) else { return nil }
        if b[i] == zero {
            i += 1
        } else {
            while isDigit(i) {
                digits.append(b[i] &- zero)
                i += 1
            }
        }
        var fractionDigits = 0
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return nil }
            while isDigit(i) {
                let d = b[i] &- zero
                if !(digits.isEmpty && d == 0) { digits.append(d) }  // leading zeros only shift
                fractionDigits += 1
                i += 1
            }
        }
        var written = 0
        if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var minus = false
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                minus = b[i] == UInt8(ascii: "-")
                i += 1
            }
            guard isDigit(i) else { return nil }
            while isDigit(i) {
                // Saturates: any exponent past a million is out of bounds either way.
                written = min(written * 10 + Int(b[i] &- zero), 1_000_000)
                i += 1
            }
            if minus { written = -written }
        }
        guard i == n else { return nil }
        exponent = written - fractionDigits
        trimTrailingZeros()
        if !digits.isEmpty {
            // The power of ten of the leading digit: |value| is in [10^p, 10^(p+1)).
            let p = digits.count - 1 + exponent
            guard p >= -100, p <= 99 else { return nil }
        }
        roundToMicros()
    }

    private mutating func trimTrailingZeros() {
        while digits.last == 0 {
            digits.removeLast()
            exponent += 1
        }
    }

    /// Rounds half away from zero to six decimals, on the digits.
    private mutating func roundToMicros() {
        guard exponent < -6, !digits.isEmpty else { return }
        let drop = -6 - exponent
        defer {
            exponent = -6
            trimTrailingZeros()
        }
        if drop > digits.count {
            digits = []
            return
        }
        let first = digits[digits.count - drop]
        digits.removeLast(drop)
        guard first >= 5 else { return }
        var index = digits.count - 1
        while index >= 0, digits[index] == 9 {
            digits[index] = 0
            index -= 1
        }
        if index >= 0 { digits[index] += 1 } else { digits.insert(1, at: 0) }
    }

    var fieldValue: FieldValue {
        if digits.isEmpty { return .int(0) }
        let outOfRange = FieldValue.number(negative ? -.infinity : .infinity)
        // The whole part's digit count; past 19 digits the magnitude is at least 10^19 > 2^63.
        let wholeDigits = digits.count + exponent
        guard wholeDigits <= 19 else { return outOfRange }
        var whole: UInt64 = 0
        for index in 0..<max(0, wholeDigits) {
            let digit = UInt64(index < digits.count ? digits[index] : 0)
            let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { return outOfRange }
            whole = sum
        }
        let limit = UInt64(Int64.max)  // 2^63 − 1
        if exponent >= 0 {
            if negative {
                guard whole <= limit + 1 else { return outOfRange }
                return .int(Int64(truncatingIfNeeded: 0 &- whole))
            }
            guard whole <= limit else { return outOfRange }
            return .int(Int64(whole))
        }
        // Not whole: R = ±(whole + f) with 0 < f < 1.
        if negative ? whole > limit : whole >= limit { return outOfRange }
        return .number(nearestDouble())
    }

    /// The binary64 nearest to this value, which has at most six decimals.
    private func nearestDouble() -> Double {
        // micros = |value| × 10^6 = digits × 10^(exponent + 6), exact while it fits.
        var micros: UInt64 = 0
        var fits = true
        for digit in digits + [UInt8](repeating: 0, count: exponent + 6) where fits {
            let (times10, o1) = micros.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            fits = !o1 && !o2
            micros = sum
        }
        let magnitude: Double
        if fits, micros < 1 << 53 {
            // Both operands exact, so the one division rounds to the nearest binary64.
            magnitude = Double(micros) / 1_000_000
        } else {
            // The standard library's reading of decimal text is correctly rounded.
            let text = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self) + "e\(exponent)"
            magnitude = Double(text) ?? .infinity
        }
        return negative ? -magnitude : magnitude
    }
}
