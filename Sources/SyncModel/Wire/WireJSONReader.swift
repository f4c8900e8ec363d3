/// A forward-only JSON reader over borrowed bytes, the parsing half of ``WireJSON``.
///
/// Messages read themselves with it (``WireJSONMessage/read(from:)``); it exists only for
/// the length of one `WireJSON.decode` call, whose buffer it borrows.
public struct WireJSONReader {
    let base: UnsafeRawPointer?
    let count: Int
    /// The offset of the next byte to read.
    var index = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.base = bytes.baseAddress
        self.count = bytes.count
    }

    // MARK: Bytes

    @inline(__always) func byte(_ offset: Int) -> UInt8 {
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
    @inline(__always) mutating func peek() throws(WireJSONError) -> UInt8 {
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
    func unexpected(_ b: UInt8) -> WireJSONError {
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

    /// Every key the hot messages know, for keys written with escapes (a key added to a
    /// message must be added here too; the differential test re-escapes every key).
    private static let knownKeys: [StaticString] = [
        "site", "seq", "hlc", "type", "id", "scope", "field", "elem", "value", "bases", "changes", "records", "removed",
        "cursor", "more", "hubClock", "next", "fields", "heads", "superseded", "version", "epoch",
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

    mutating func literal(_ word: StaticString) throws(WireJSONError) {
        let n = word.utf8CodeUnitCount
        guard count - index >= n else { throw malformed(at: index) }
        for i in 0..<n where byte(index + i) != word.utf8Start[i] { throw malformed(at: index + i) }
        index += n
    }
}

extension WireJSONReader {
    /// Reads an object: `member` is called with each key and reads its value, or returns
    /// `false` for a key it does not read (unknown, or repeated: the first counts, as in
    /// Foundation), whose value is then skipped. Errors inside a member name its key.
    @inline(__always) mutating func object(
        _ member: (inout WireJSONReader, Key) throws(WireJSONError) -> Bool
    ) throws(WireJSONError) {
        try beginObject()
        var started = false
        while let key = try nextKey(&started) {
            do {
                if try !member(&self, key) { try skipValue() }
            } catch {
                // Only known keys reach here with a shape error: schema words, not data.
                guard error.kind.isShapeError else { throw error }
                throw error.within("." + key.text)
            }
        }
    }

    /// A required value, or the error naming the missing key.
    @inline(__always) func required<T>(_ value: T?, _ key: String) throws(WireJSONError) -> T {
        guard let value else { throw WireJSONError(.missingKey(key), at: index) }
        return value
    }
}
