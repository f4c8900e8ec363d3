/// The canonical JSON text Tributary hashes and compares: UTF-8, no whitespace, object keys
/// in UTF-8 byte order, strings escaped minimally (`"`, `\` and U+0000–U+001F only, the
/// latter as `\u00xx`), integers in decimal, other numbers in ECMAScript's shortest form.
public enum CanonicalJSON {
    /// The canonical text of one field value.
    public static func text(of value: FieldValue) -> String {
        var bytes: [UInt8] = []
        write(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical form of `value`.
    public static func write(_ value: FieldValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .number(let d): out.append(contentsOf: numberText(d).utf8)
        case .string(let s): write(string: s, to: &out)
        }
    }

    /// Appends a JSON string literal.
    public static func write(string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        escape(string) { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
    }

    /// Hands out the escaped UTF-8 of `string` (without quotes) as consecutive runs: the
    /// stretches that need no escape as they are, each escape on its own.
    @inline(__always)
    package static func escape(_ string: String, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var string = string
        string.withUTF8 { utf8 in
            var run = 0  // the start of the bytes not yet handed out
            for i in 0..<utf8.count {
                let byte = utf8[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if i > run { emit(UnsafeBufferPointer(rebasing: utf8[run..<i])) }
                run = i + 1
                let hex = { (nibble: UInt8) in nibble < 10 ? nibble + UInt8(ascii: "0") : nibble - 10 + UInt8(ascii: "a") }
                let escaped: [UInt8] =
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): [UInt8(ascii: "\\"), byte]
                    default: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex(byte >> 4), hex(byte & 0xF)]
                    }
                escaped.withUnsafeBufferPointer(emit)
            }
            if utf8.count > run { emit(UnsafeBufferPointer(rebasing: utf8[run...])) }
        }
    }

    /// The largest magnitude a `number` field holds.
    public static let numberLimit: Double = 1e12

    /// The canonical text of a number: fixed point with at most six decimals and no trailing
    /// zeros (`2`, `1.5`, `-0.000125`). Numbers are held to six decimals, so this is exact.
    public static func numberText(_ d: Double) -> String {
        // Only finite numbers within the limit reach a replica; anything else (a value
        // being described in an error message) prints as Swift does.
        guard d.isFinite, abs(d) < numberLimit * 2 else { return d.description }
        let (whole, micros) = split(d)
        guard micros != 0 else { return (d < 0 && whole == 0 ? "" : "") + String(whole) }
        var fraction = String(micros)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (d < 0 && whole == 0 ? "-" : "") + String(whole) + "." + fraction
    }

    /// The whole part (toward zero) and the millionths of `d`'s magnitude: `d`'s exact binary
    /// value rounded half away from zero to six decimals. The product `fraction × 10⁶` is
    /// taken with its exact rounding error (a fused multiply-add), so that a fraction just
    /// below or above a half-millionth rounds the way its exact value does.
    private static func split(_ d: Double) -> (whole: Int64, micros: Int64) {
        let magnitude = abs(d)
        let truncated = magnitude.rounded(.towardZero)
        var whole = Int64(truncated)
        let fraction = magnitude - truncated  // exact
        let product = fraction * 1_000_000
        let error = (-product).addingProduct(fraction, 1_000_000)  // exactly fraction × 10⁶ − product
        var micros = product.rounded(.down)
        let rest = product - micros  // exact
        if rest > 0.5 || (rest == 0.5 && error >= 0) { micros += 1 }
        var millionths = Int64(micros)
        if millionths == 1_000_000 {
            millionths = 0
            whole += 1
        }
        return (d < 0 ? -whole : whole, millionths)
    }

    /// `d` held as a `number` field holds it: its exact value rounded half away from zero to
    /// six decimals, then the binary64 nearest to that decimal (SPEC §3). A number read from
    /// JSON text is already so (``JSONNumber``); this rounds one made by arithmetic.
    /// `d` must be finite and below 2⁶² in magnitude.
    public static func roundedNumber(_ d: Double) -> Double {
        let (whole, micros) = split(d)
        let total = whole.magnitude * 1_000_000 + UInt64(micros)
        let magnitude: Double
        if total < 1 << 53 {
            magnitude = Double(total) / 1_000_000  // exact operands: one correct rounding
        } else {
            magnitude = Double("\(total)e-6") ?? .infinity  // correctly rounded decimal reading
        }
        return d < 0 && magnitude != 0 ? -magnitude : magnitude  // never −0
    }
}
