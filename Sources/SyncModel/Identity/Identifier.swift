/// The rules for the names that appear in changes: record ids, org unit ids, record type and
/// field names, set elements.
public enum Identifier {
    /// The longest record id, org unit id or set element accepted.
    public static let maxLength = 128

    /// Whether `text` is a well-formed record id, org unit id or set element: 1 to 128
    /// characters from `A–Z a–z 0–9 - _ . :`. UUIDs qualify.
    public static func isValidID(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= maxLength else { return false }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: ":"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// Whether `text` is a well-formed record type or field name: a letter or `_` followed
    /// by up to 63 letters, digits or `_`.
    public static func isValidName(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard let first = utf8.first, utf8.count <= 64 else { return false }
        func isLetter(_ b: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
                || b == UInt8(ascii: "_")
        }
        guard isLetter(first) else { return false }
        return utf8.dropFirst().allSatisfy { isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
