/// The states of a `forward` field, in the order a record moves through them: a state later
/// in `allCases` is further on. The merged value of the field is the furthest state any
/// write reached, so states compare by that order.
public protocol ForwardState: RawRepresentable, CaseIterable, Comparable, Hashable, Sendable
where RawValue == String, AllCases: RandomAccessCollection {}

extension ForwardState {
    /// The position of the state in the order, from 0.
    public var rank: Int {
        // Every case is in `allCases`, so the fallback is never taken.
        let index = Self.allCases.firstIndex(of: self) ?? Self.allCases.endIndex
        return Self.allCases.distance(from: Self.allCases.startIndex, to: index)
    }

    /// Whether `lhs` comes before `rhs` in the order of states.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rank < rhs.rank
    }

    /// The furthest of two states: the lattice join the merge computes.
    public func joined(with other: Self) -> Self {
        max(self, other)
    }
}
