// The lexical layer of ``WireJSONReader``: numbers and string literals, scanned in place
// and checked against RFC 8259 (strings as UTF-8).

extension WireJSONReader {
    /// A scanned number: its span, and its value when it is a plain integer.
    struct Number {
        var start: Int
        var end: Int
        var negative: Bool
        /// Digits only (no fraction or exponent).
        var isInteger: Bool
        /// The integer's magnitude, when it fits.
        var magnitude: UInt64
        var overflow: Bool
    }

    /// Scans `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    mutating func scanNumber() throws(WireJSONError) -> Number {
        let start = index
        var number = Number(start: start, end: start, negative: false, isInteger: true, magnitude: 0, overflow: false)
        if index < count, byte(index) == UInt8(ascii: "-") {
            number.negative = true
            index += 1
        }
        guard index < count else { throw malformed(at: index) }
        let first = byte(index)
        if first == UInt8(ascii: "0") {
            index += 1
        } else if first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") {
            while index < count {
                let d = byte(index) &- UInt8(ascii: "0")
                guard d <= 9 else { break }
                let (times10, o1) = number.magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
                number.magnitude = sum
                number.overflow = number.overflow || o1 || o2
                index += 1
            }
        } else {
            throw malformed(at: index)
        }
        if index < count, byte(index) == UInt8(ascii: ".") {
            number.isInteger = false
            index += 1
            try digits()
        }
        if index < count, byte(index) | 0x20 == UInt8(ascii: "e") {
            number.isInteger = false
            index += 1
            if index < count, byte(index) == UInt8(ascii: "+") || byte(index) == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
        number.end = index
        return number
    }

    /// One or more decimal digits.
    mutating func digits() throws(WireJSONError) {
        let start = index
        while index < count, byte(index) &- UInt8(ascii: "0") <= 9 { index += 1 }
        guard index > start else { throw malformed(at: index) }
    }

    func signed(_ number: Number) -> Int64? {
        if number.negative {
            guard number.magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return Int64(truncatingIfNeeded: 0 &- number.magnitude)
        }
        return Int64(exactly: number.magnitude)
    }

    func double(_ number: Number) -> Double? {
        let text = String(decoding: UnsafeRawBufferPointer(start: base.unsafelyUnwrapped + number.start, count: number.end - number.start), as: UTF8.self)
        return Double(text)
    }

    /// A number with a fraction or exponent that is exactly a whole number below 2⁵³.
    func wholeNumber(_ number: Number) -> Int64? {
        guard !number.isInteger, let d = double(number), d.magnitude < 0x1p53 else { return nil }
        return Int64(exactly: d)
    }

    /// A scanned string literal: the bytes between the quotes, and what they hold.
    struct StringSpan {
        var start: Int
        var end: Int
        var escaped: Bool
        var nonASCII: Bool
    }

    /// Scans a string literal from its opening quote to past its closing quote, refusing
    /// raw control characters and unknown escapes.
    mutating func scanString() throws(WireJSONError) -> StringSpan {
        var index = self.index + 1
        defer { self.index = index }
        var span = StringSpan(start: index, end: index, escaped: false, nonASCII: false)
        var high: UInt64 = 0
        while true {
            // Eight bytes at a time up to the first quote, backslash or control character.
            if count - index >= 8 {
                let word = base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let attention = Self.attention(word)
                if attention == 0 {
                    high |= word
                    index += 8
                    continue
                }
                let clean = attention.trailingZeroBitCount >> 3
                high |= word & ((1 &<< UInt64(clean &* 8)) &- 1)
                index += clean
            } else {
                guard index < count else { throw malformed(at: index) }
                let b = byte(index)
                if b >= 0x20, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\") {
                    high |= UInt64(b)
                    index += 1
                    continue
                }
            }
            let b = byte(index)
            if b == UInt8(ascii: "\"") {
                span.end = index
                span.nonASCII = high & 0x8080_8080_8080_8080 != 0
                index += 1
                return span
            }
            guard b == UInt8(ascii: "\\") else { throw malformed(at: index) }  // a control character
            span.escaped = true
            index += 1
            guard index < count else { throw malformed(at: index) }
            switch byte(index) {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                index += 1
            case UInt8(ascii: "u"):
                guard count - index > 4, hex4(at: index + 1) != nil else { throw malformed(at: index) }
                index += 5
            default:
                throw malformed(at: index)
            }
        }
    }

    /// The bytes of `word` that are `"`, `\` or below 0x20, each flagged by its high bit
    /// (exact for the lowest flagged byte; above it, a borrow may flag more).
    @inline(__always) static func attention(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }

    func hex4(at offset: Int) -> UInt32? {
        var value: UInt32 = 0
        for i in offset..<offset + 4 {
            let b = byte(i)
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The text of a scanned string: escapes resolved, UTF-8 checked.
    func string(_ span: StringSpan) throws(WireJSONError) -> String {
        let raw = UnsafeRawBufferPointer(start: base.unsafelyUnwrapped + span.start, count: span.end - span.start)
        if !span.escaped {
            if !span.nonASCII { return String(decoding: raw, as: UTF8.self) }
            guard let text = String(validating: raw, as: UTF8.self) else { throw malformed(at: span.start) }
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = span.start
        while i < span.end {
            let b = byte(i)
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            let e = byte(i + 1)
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = hex4(at: i).unsafelyUnwrapped  // checked by scanString
                i += 4
                var scalar: UInt32 = unit
                if unit >= 0xD800, unit < 0xDC00 {
                    guard i + 6 <= span.end, byte(i) == UInt8(ascii: "\\"), byte(i + 1) == UInt8(ascii: "u"),
                        let low = hex4(at: i + 2), low >= 0xDC00, low < 0xE000
                    else { throw malformed(at: i - 6) }
                    i += 6
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else if unit >= 0xDC00, unit < 0xE000 {
                    throw malformed(at: i - 6)
                }
                UTF8.encode(Unicode.Scalar(scalar).unsafelyUnwrapped) { out.append($0) }
            default: out.append(e)  // " \ /
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw malformed(at: span.start) }
        return text
    }
}
