/// Fixed-width lowercase hexadecimal text for 64-bit identifiers and clocks.
package enum HexText {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The 16-digit lowercase form of `value`.
    package static func encode(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            var v = value
            for index in stride(from: 15, through: 0, by: -1) {
                buffer[index] = digits[Int(v & 0xF)]
                v >>= 4
            }
            return 16
        }
    }

    /// Parses exactly 16 lowercase hexadecimal digits.
    package static func decode(_ text: some StringProtocol) -> UInt64? {
        var value: UInt64 = 0
        var count = 0
        for byte in text.utf8 {
            count += 1
            guard count <= 16 else { return nil }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return count == 16 ? value : nil
    }
}
