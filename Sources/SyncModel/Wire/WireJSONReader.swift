/// A forward-only JSON reader over borrowed bytes, the parsing half of ``WireJSON``.
///
/// Messages read themselves with it (``WireJSONMessage/read(from:)``); it exists only for
/// the length of one ``WireJSON/decode(_:from:)-(_,UnsafeRawBufferPointer)`` call, whose
/// buffer it borrows.
public struct WireJSONReader {
    private let base: UnsafeRawPointer?
    private let count: Int
    /// The offset of the next byte to read.
    private(set) var index = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.base = bytes.baseAddress
        self.count = bytes.count
    }

    // MARK: Bytes

    @inline(__always) private func byte(_ offset: Int) -> UInt8 {
        base.unsafelyUnwrapped.load(fromByteOffset: offset, as: UInt8.self)
    }

    func malformed(at offset: Int) -> WireJSONError { WireJSONError(.malformedJSON, at: offset) }

    mutating func skipByteOrderMark() {
        if count >= 3, byte(0) == 0xEF, byte(1) == 0xBB, byte(2) == 0xBF { index = 3 }
    }

    @inline(__always) private mutating func skipSpace() {
        while index < count {
            let b = byte(index)
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            index += 1
        }
    }

    /// The next byte that is not whitespace, not consumed.
    @inline(__always) private mutating func peek() throws(WireJSONError) -> UInt8 {
        skipSpace()
        guard index < count else { throw malformed(at: index) }
        return byte(index)
    }

    /// Refuses anything but whitespace after the message.
    mutating func expectEnd() throws(WireJSONError) {
        skipSpace()
        guard index == count else { throw malformed(at: index) }
    }

    /// The error for a value of the wrong kind starting with `b` (or for no value at all).
    private func unexpected(_ b: UInt8) -> WireJSONError {
        switch b {
        case UInt8(ascii: "n"): WireJSONError(.missingValue, at: index)
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "t"), UInt8(ascii: "f"),
            UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            WireJSONError(.wrongType, at: index)
        default: malformed(at: index)
        }
    }

    private mutating func enter() throws(WireJSONError) {
        depth += 1
        guard depth <= WireJSON.maxDepth else { throw WireJSONError(.tooDeep, at: index) }
        index += 1
    }

    // MARK: Objects and arrays

    /// A key of an object: its bytes in the body, or, for a key written with escapes or
    /// non-ASCII characters, the known key it spells (or nothing, matching no known key).
    struct Key {
        var raw: UnsafeRawBufferPointer

        static func == (key: Key, name: StaticString) -> Bool {
            guard key.raw.count == name.utf8CodeUnitCount else { return false }
            let n = name.utf8Start
            for i in 0..<key.raw.count where key.raw[i] != n[i] { return false }
            return true
        }

        /// The key's text, for an error path (only known keys reach one).
        var text: String { String(decoding: raw, as: UTF8.self) }
    }

    /// Every key the hot messages know, for keys written with escapes.
    private static let knownKeys: [StaticString] = [
        "site", "seq", "hlc", "type", "id", "scope", "field", "elem", "value", "bases", "changes", "records", "removed",
        "cursor", "more", "hubClock", "next", "fields", "heads", "superseded", "version",
    ]

    /// Consumes `{`; a `null` or another type throws.
    mutating func beginObject() throws(WireJSONError) {
        let b = try peek()
        guard b == UInt8(ascii: "{") else { throw unexpected(b) }
        try enter()
    }

    /// The next key of the object (its `:` consumed), or `nil` once the `}` is consumed.
    /// `started` is `false` before the first key.
    mutating func nextKey(_ started: inout Bool) throws(WireJSONError) -> Key? {
        var b = try peek()
        if b == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return nil
        }
        if started {
            guard b == UInt8(ascii: ",") else { throw malformed(at: index) }
            index += 1
            b = try peek()
        }
        started = true
        guard b == UInt8(ascii: "\"") else { throw malformed(at: index) }
        let span = try scanString()
        var key = Key(raw: UnsafeRawBufferPointer(start: base.unsafelyUnwrapped + span.start, count: span.end - span.start))
        if span.escaped || span.nonASCII {
            let text = try string(span)
            let known = Self.knownKeys.first { text.utf8.elementsEqual(UnsafeBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount)) }
            key.raw = known.map { UnsafeRawBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        }
        guard try peek() == UInt8(ascii: ":") else { throw malformed(at: index) }
        index += 1
        return key
    }

    /// Consumes `[`; a `null` or another type throws.
    mutating func beginArray() throws(WireJSONError) {
        let b = try peek()
        guard b == UInt8(ascii: "[") else { throw unexpected(b) }
        try enter()
    }

    /// Whether another element follows (its `,` consumed), or `false` once the `]` is
    /// consumed. `started` is `false` before the first element.
    mutating func nextElement(_ started: inout Bool) throws(WireJSONError) -> Bool {
        let b = try peek()
        if b == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return false
        }
        if started {
            guard b == UInt8(ascii: ",") else { throw malformed(at: index) }
            index += 1
        }
        started = true
        return true
    }

    /// Reads an array whose elements `element` reads; errors name the element's index.
    mutating func array<Element>(
        _ element: (inout WireJSONReader) throws(WireJSONError) -> Element
    ) throws(WireJSONError) -> [Element] {
        try beginArray()
        var started = false
        var result: [Element] = []
        while try nextElement(&started) {
            do {
                result.append(try element(&self))
            } catch {
                throw error.within(index: result.count)
            }
        }
        return result
    }

    /// Whether the next value is `null` (consumed if so).
    mutating func readNull() throws(WireJSONError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Skips one value of any kind, checking that it is valid JSON.
    mutating func skipValue() throws(WireJSONError) {
        let b = try peek()
        switch b {
        case UInt8(ascii: "{"):
            try enter()
            var started = false
            while try nextKey(&started) != nil { try skipValue() }
        case UInt8(ascii: "["):
            try enter()
            var started = false
            while try nextElement(&started) { try skipValue() }
        case UInt8(ascii: "\""): _ = try string(scanString())
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
        default: throw malformed(at: index)
        }
    }

    /// The first syntax error in `bytes`, or `nil` if they are one valid JSON value.
    static func firstSyntaxError(in bytes: UnsafeRawBufferPointer) -> WireJSONError? {
        var reader = WireJSONReader(bytes)
        reader.skipByteOrderMark()
        do {
            try reader.skipValue()
            try reader.expectEnd()
            return nil
        } catch {
            return error
        }
    }

    private mutating func literal(_ word: StaticString) throws(WireJSONError) {
        let n = word.utf8CodeUnitCount
        guard count - index >= n else { throw malformed(at: index) }
        for i in 0..<n where byte(index + i) != word.utf8Start[i] { throw malformed(at: index + i) }
        index += n
    }

    // MARK: Scalars

    /// Reads `true` or `false`.
    mutating func readBool() throws(WireJSONError) -> Bool {
        let b = try peek()
        if b == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        if b == UInt8(ascii: "f") {
            try literal("false")
            return false
        }
        throw unexpected(b)
    }

    /// Reads a string.
    mutating func readString() throws(WireJSONError) -> String {
        let b = try peek()
        guard b == UInt8(ascii: "\"") else { throw unexpected(b) }
        return try string(scanString())
    }

    /// Reads a string of exactly 16 lowercase hexadecimal digits (a clock or a site id).
    mutating func readHex16() throws(WireJSONError) -> UInt64 {
        let b = try peek()
        guard b == UInt8(ascii: "\"") else { throw unexpected(b) }
        let start = index
        if count - index >= 18, byte(index + 17) == UInt8(ascii: "\""), let value = hex16(at: index + 1) {
            index += 18
            return value
        }
        // Escapes or a malformed value: the slow way.
        let text = try string(scanString())
        guard let value = HexText.decode(text) else { throw WireJSONError(.malformedValue, at: start) }
        return value
    }

    /// Reads a version string `<16 hex hlc>-<16 hex site>`.
    mutating func readVersion() throws(WireJSONError) -> Version {
        let b = try peek()
        guard b == UInt8(ascii: "\"") else { throw unexpected(b) }
        let start = index
        if count - index >= 35, byte(index + 17) == UInt8(ascii: "-"), byte(index + 34) == UInt8(ascii: "\""),
            let hlc = hex16(at: index + 1), let site = hex16(at: index + 18)
        {
            index += 35
            return Version(hlc: HLC(rawValue: hlc), site: SiteID(rawValue: site))
        }
        let text = try string(scanString())
        guard let version = Version(text: text) else { throw WireJSONError(.malformedValue, at: start) }
        return version
    }

    @inline(__always) private func hex16(at offset: Int) -> UInt64? {
        var value: UInt64 = 0
        for i in offset..<offset + 16 {
            let b = byte(i)
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b &- UInt8(ascii: "a") &+ 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// Reads a whole number in `0...UInt64.max` (a `seq`).
    mutating func readUInt64() throws(WireJSONError) -> UInt64 {
        let b = try peek()
        guard b == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { throw unexpected(b) }
        let number = try scanNumber()
        if number.isInteger, !number.overflow {
            guard !number.negative || number.magnitude == 0 else { throw WireJSONError(.malformedValue, at: number.start) }
            return number.magnitude
        }
        guard let whole = wholeNumber(number), whole >= 0 else { throw WireJSONError(.malformedValue, at: number.start) }
        return UInt64(whole)
    }

    /// Reads a whole number in `Int64`'s range (a `cursor`).
    mutating func readInt64() throws(WireJSONError) -> Int64 {
        let b = try peek()
        guard b == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { throw unexpected(b) }
        let number = try scanNumber()
        if number.isInteger, !number.overflow, let value = signed(number) { return value }
        guard let whole = wholeNumber(number) else { throw WireJSONError(.malformedValue, at: number.start) }
        return whole
    }

    /// Reads a field value: a string, a number, a boolean or `null`.
    mutating func readFieldValue() throws(WireJSONError) -> FieldValue {
        let b = try peek()
        switch b {
        case UInt8(ascii: "\""): return .string(try string(scanString()))
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try readBool())
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try scanNumber()
            if number.isInteger, !number.overflow, let value = signed(number) { return .int(value) }
            guard let d = double(number), d.isFinite else { throw WireJSONError(.malformedValue, at: number.start) }
            // As Foundation: a whole number written with a fraction or exponent is an int.
            // From 2⁵³ to 2⁶³ Foundation goes through `Decimal`, which this reader cannot
            // match digit for digit, so it refuses them (no valid field holds one).
            if !number.isInteger, d == d.rounded(.towardZero) {
                guard d.magnitude < 0x1p53 else {
                    guard d.magnitude > 0x1p63 else { throw WireJSONError(.malformedValue, at: number.start) }
                    return .number(d)
                }
                return .int(Int64(d))
            }
            return .number(d)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw WireJSONError(.malformedValue, at: index)
        default:
            throw malformed(at: index)
        }
    }

    // MARK: Number and string scanning

    /// A scanned number: its span, and its value when it is a plain integer.
    private struct Number {
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
    private mutating func scanNumber() throws(WireJSONError) -> Number {
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
    private mutating func digits() throws(WireJSONError) {
        let start = index
        while index < count, byte(index) &- UInt8(ascii: "0") <= 9 { index += 1 }
        guard index > start else { throw malformed(at: index) }
    }

    private func signed(_ number: Number) -> Int64? {
        if number.negative {
            guard number.magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return Int64(truncatingIfNeeded: 0 &- number.magnitude)
        }
        return Int64(exactly: number.magnitude)
    }

    private func double(_ number: Number) -> Double? {
        let text = String(decoding: UnsafeRawBufferPointer(start: base.unsafelyUnwrapped + number.start, count: number.end - number.start), as: UTF8.self)
        return Double(text)
    }

    /// A number with a fraction or exponent that is exactly a whole number below 2⁵³.
    private func wholeNumber(_ number: Number) -> Int64? {
        guard !number.isInteger, let d = double(number), d.magnitude < 0x1p53 else { return nil }
        return Int64(exactly: d)
    }

    /// A scanned string literal: the bytes between the quotes, and what they hold.
    private struct StringSpan {
        var start: Int
        var end: Int
        var escaped: Bool
        var nonASCII: Bool
    }

    /// Scans a string literal from its opening quote to past its closing quote, refusing
    /// raw control characters and unknown escapes.
    private mutating func scanString() throws(WireJSONError) -> StringSpan {
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
    @inline(__always) private static func attention(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }

    private func hex4(at offset: Int) -> UInt32? {
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
    private func string(_ span: StringSpan) throws(WireJSONError) -> String {
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
