public import SyncModel

/// One field write a replica makes itself (a station's clerk, or the hub's own tools).
public struct LocalEdit: Hashable, Sendable {
    /// The field or set element written.
    public var key: FieldKey
    /// The record's org unit.
    public var scope: String
    /// The value written (for a set element: `true` present, `false` absent).
    public var value: FieldValue
    /// Whether the write settles a conflict: its bases then list every head of the field,
    /// not just the winner the writer saw.
    public var settles: Bool

    /// Creates a local edit.
    public init(key: FieldKey, scope: String, value: FieldValue, settles: Bool = false) {
        self.key = key
        self.scope = scope
        self.value = value
        self.settles = settles
    }
}
