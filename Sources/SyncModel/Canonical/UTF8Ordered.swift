/// A string compared by its UTF-8 bytes, the order every canonical output of Tributary uses
/// (Swift's own `String` order follows Unicode rules that other languages do not share).
public struct UTF8Ordered: Comparable, Sendable {
    /// The wrapped string.
    public var string: String

    public static func < (lhs: UTF8Ordered, rhs: UTF8Ordered) -> Bool {
        lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }

    public static func == (lhs: UTF8Ordered, rhs: UTF8Ordered) -> Bool {
        lhs.string == rhs.string
    }
}

extension String {
    /// This string, compared by UTF-8 bytes.
    public var utf8Ordered: UTF8Ordered { UTF8Ordered(string: self) }
}
