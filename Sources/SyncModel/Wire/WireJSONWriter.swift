/// Builds JSON text in a growing buffer of its own, the writing half of ``WireJSON``.
///
/// Messages write themselves with it (``WireJSONMessage/write(to:)``).
public struct WireJSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The text written.
    consuming func finish() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// Appends the text written to `bytes`.
    consuming func finish(appendingTo bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
    }

    /// Room for `n` more bytes.
    @inline(__always) private mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(n) }
    }

    private mutating func grow(_ n: Int) {
        let newCapacity = max(capacity * 2, count + n)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends ASCII punctuation or a key, e.g. `{"site":`.
    @inline(__always) mutating func raw(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    /// Appends a string literal, escaped as ``CanonicalJSON`` does.
    @inline(__always) mutating func string(_ s: String) {
        byte(UInt8(ascii: "\""))
        CanonicalJSON.escape(s) { append($0) }
        byte(UInt8(ascii: "\""))
    }

    /// Appends bytes that `body` writes into `n` reserved bytes.
    @inline(__always) private mutating func fixed(_ n: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void) {
        reserve(n)
        body(base + count)
        count += n
    }

    /// Appends `"` + 16 lowercase hex digits + `"`.
    mutating func hex16(_ value: UInt64) {
        fixed(18) { p in
            p[0] = UInt8(ascii: "\"")
            Self.hexDigits(value, into: p + 1)
            p[17] = UInt8(ascii: "\"")
        }
    }

    /// Appends a version string `"<hlc>-<site>"`.
    mutating func version(_ version: Version) {
        fixed(35) { p in
            p[0] = UInt8(ascii: "\"")
            Self.hexDigits(version.hlc.rawValue, into: p + 1)
            p[17] = UInt8(ascii: "-")
            Self.hexDigits(version.site.rawValue, into: p + 18)
            p[34] = UInt8(ascii: "\"")
        }
    }

    @inline(__always) private static func hexDigits(_ value: UInt64, into p: UnsafeMutablePointer<UInt8>) {
        var v = value
        for i in stride(from: 15, through: 0, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: v & 0xF)
            p[i] = nibble < 10 ? nibble &+ UInt8(ascii: "0") : nibble &+ (UInt8(ascii: "a") &- 10)
            v >>= 4
        }
    }

    /// Appends an unsigned integer in decimal.
    mutating func integer(_ value: UInt64) {
        var digits = 1
        var rest = value / 10
        while rest != 0 {
            digits += 1
            rest /= 10
        }
        fixed(digits) { p in
            var v = value
            for i in stride(from: digits - 1, through: 0, by: -1) {
                p[i] = UInt8(truncatingIfNeeded: v % 10) &+ UInt8(ascii: "0")
                v /= 10
            }
        }
    }

    /// Appends a signed integer in decimal.
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
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
            var text = Double(canonical) == d ? canonical : d.description
            text.withUTF8 { append($0) }
        }
    }

    /// Appends `[`, each element written by `element` with commas between, and `]`.
    @inline(__always) mutating func array<Element>(_ elements: [Element], _ element: (inout WireJSONWriter, Element) -> Void) {
        byte(UInt8(ascii: "["))
        var first = true
        for e in elements {
            if !first { byte(UInt8(ascii: ",")) }
            first = false
            element(&self, e)
        }
        byte(UInt8(ascii: "]"))
    }
}
