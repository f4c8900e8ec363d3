/// The outcome of a command that changes one record (`delete`, `restore`, `resolve`).
struct ActionView: Encodable {
    var type: String
    var id: String
    /// Whether anything was written.
    var changed: Bool
    /// The changes written.
    var changes: Int
}
