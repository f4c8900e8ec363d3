/// Appends JSON text to a byte array, the writing half of ``WireJSON``.
///
/// Messages write themselves with it (``WireJSONMessage/write(to:)``).
public struct WireJSONWriter {
    /// The text written so far.
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Appends ASCII punctuation or a key, e.g. `{"site":`.
    @inline(__always) mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        bytes.append(b)
    }

    /// Appends a string literal, escaped as ``CanonicalJSON`` does.
    @inline(__always) mutating func string(_ s: String) {
        CanonicalJSON.write(string: s, to: &bytes)
    }

    /// Appends `"` + 16 lowercase hex digits + `"`.
    mutating func hex16(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 18) { buffer in
            buffer[0] = UInt8(ascii: "\"")
            Self.hexDigits(value, into: buffer, at: 1)
            buffer[17] = UInt8(ascii: "\"")
            bytes.append(contentsOf: buffer)
        }
    }

    /// Appends a version string `"<hlc>-<site>"`.
    mutating func version(_ version: Version) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 35) { buffer in
            buffer[0] = UInt8(ascii: "\"")
            Self.hexDigits(version.hlc.rawValue, into: buffer, at: 1)
            buffer[17] = UInt8(ascii: "-")
            Self.hexDigits(version.site.rawValue, into: buffer, at: 18)
            buffer[34] = UInt8(ascii: "\"")
            bytes.append(contentsOf: buffer)
        }
    }

    @inline(__always) private static func hexDigits(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var v = value
        for i in stride(from: offset + 15, through: offset, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: v & 0xF)
            buffer[i] = nibble < 10 ? nibble &+ UInt8(ascii: "0") : nibble &+ (UInt8(ascii: "a") &- 10)
            v >>= 4
        }
    }

    /// Appends an unsigned integer in decimal.
    mutating func integer(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var v = value
            var i = 20
            repeat {
                i -= 1
                buffer[i] = UInt8(truncatingIfNeeded: v % 10) &+ UInt8(ascii: "0")
                v /= 10
            } while v != 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i...]))
        }
    }

    /// Appends a signed integer in decimal.
    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        integer(value.magnitude)
    }

    /// Appends `true` or `false`.
    mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    /// Appends a field value: canonical text, except that a number whose canonical (six
    /// decimal) text would not read back exactly is written in Swift's shortest round-trip
    /// form, and a non-finite number (which JSON cannot hold) as `null`.
    mutating func value(_ value: FieldValue) {
        switch value {
        case .string(let s): string(s)
        case .int(let i): integer(i)
        case .bool(let b): bool(b)
        case .null: raw("null")
        case .number(let d):
            guard d.isFinite else { return raw("null") }
            let canonical = CanonicalJSON.numberText(d)
            bytes.append(contentsOf: (Double(canonical) == d ? canonical : d.description).utf8)
        }
    }

    /// Appends `[`, each element written by `element` with commas between, and `]`.
    @inline(__always) mutating func array<Element>(_ elements: [Element], _ element: (inout WireJSONWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for e in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, e)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
