
/// What a station bound to one org unit sees and may write: it writes inside its subtree,
/// and sees its subtree plus the units on the path from it to the root (so that county
/// reference data reaches everyone). Personal fields reach it only from its subtree.
public struct StationScope: Hashable, Sendable {
    /// The station's unit and every unit below it.
    public var subtree: Set<String>
    /// The units above the station's unit, up to the root.
    public var ancestors: Set<String>

    /// Creates a scope.
    public init(subtree: Set<String>, ancestors: Set<String>) {
        self.subtree = subtree
        self.ancestors = ancestors
    }

    /// Whether a record in `scope` (and, for a transfer, `scope2`) is visible.
    public func sees(_ scope: String, _ scope2: String? = nil) -> Bool {
        subtree.contains(scope) || ancestors.contains(scope) || scope2.map { subtree.contains($0) || ancestors.contains($0) } == true
    }

    /// Whether the record lies in the subtree (so its personal fields may be sent).
    public func owns(_ scope: String, _ scope2: String? = nil) -> Bool {
        subtree.contains(scope) || scope2.map { subtree.contains($0) } == true
    }
}
