// Reading the scalar values of the hot messages: booleans, strings, clocks and versions,
// integers and field values.

extension WireJSONReader {
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

    @inline(__always) func hex16(at offset: Int) -> UInt64? {
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
            // A fraction, an exponent or a long integer: read exactly from the text (SPEC §3).
            let text = UnsafeBufferPointer(
                start: (base.unsafelyUnwrapped + number.start).assumingMemoryBound(to: UInt8.self), count: number.end - number.start)
            guard let value = JSONNumber.fieldValue(utf8: text) else { throw WireJSONError(.malformedValue, at: number.start) }
            return value
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw WireJSONError(.malformedValue, at: index)
        default:
            throw malformed(at: index)
        }
    }
}
