/// What a station bound to one org unit sees and owns (SPEC §10 "Scope").
///
/// It **sees** records whose org unit (or second unit) is in its subtree or above it, so that
/// county reference data reaches everyone; it **owns** records in its subtree, and only owned
/// records carry their personal fields to it. Build one with ``OrgTree/scope(of:)``.
public struct StationScope: Hashable, Sendable {
    /// The unit the station is bound to.
    public var unit: String
    /// The station's unit and every unit below it.
    public var subtree: Set<String>
    /// The units above the station's unit, up to the root.
    public var ancestors: Set<String>

    /// Creates a scope.
    public init(unit: String, subtree: Set<String>, ancestors: Set<String>) {
        self.unit = unit
        self.subtree = subtree
        self.ancestors = ancestors
    }

    /// Whether a record at `place` is visible to the station.
    public func sees(_ place: RecordPlace) -> Bool {
        guard place.isPlaced else { return false }
        return sees(unit: place.scope) || place.scope2.map(sees(unit:)) == true
    }

    /// Whether a record at `place` lies in the station's subtree (its personal fields go to it).
    public func owns(_ place: RecordPlace) -> Bool {
        guard place.isPlaced else { return false }
        return subtree.contains(place.scope) || place.scope2.map(subtree.contains) == true
    }

    /// How a record at `place` reaches the station.
    public func visibility(of place: RecordPlace?) -> Visibility {
        guard let place, sees(place) else { return .hidden }
        return owns(place) ? .whole : .withoutPersonal
    }

    private func sees(unit: String) -> Bool {
        subtree.contains(unit) || ancestors.contains(unit)
    }
}

/// How a record reaches one station.
public enum Visibility: Hashable, Sendable, Comparable {
    /// The station does not see the record.
    case hidden
    /// The station sees the record without its personal fields (it lies above the station).
    case withoutPersonal
    /// The station sees the whole record (it lies in the station's subtree).
    case whole
}
