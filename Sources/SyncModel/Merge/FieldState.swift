/// One write that stands in a field: its version and value.
public struct Head: Hashable, Sendable, Codable {
    /// The write's version.
    public var version: Version
    /// The value written.
    public var value: FieldValue

    /// Creates a head.
    public init(version: Version, value: FieldValue) {
        self.version = version
        self.value = value
    }
}

/// What one field (or one set element) holds after merging every write a replica knows.
///
/// For an `lww` field, ``heads`` are the writes no known write lists as a base, greatest
/// version first; the first is the winner and every other head with a different value is a
/// conflict. For the other policies there is exactly one head: the value that stands (for
/// `forward`, the furthest state with the greatest version seen).
public struct FieldState: Hashable, Sendable {
    /// The writes that stand, greatest version first. Never empty.
    public private(set) var heads: [Head]

    /// Creates a state holding one write.
    public init(_ head: Head) {
        self.heads = [head]
    }

    /// Creates a state from heads that are already merged (as a store reads them back).
    public init?(heads: [Head]) {
        guard !heads.isEmpty else { return nil }
        self.heads = heads.sorted { $0.version > $1.version }
    }

    /// The write whose value is shown.
    public var winner: Head { heads[0] }

    /// The heads that lost a concurrent race with a different value than the winner's.
    public var losingHeads: ArraySlice<Head> {
        let winnerValue = heads[0].value
        return heads.dropFirst().filter { $0.value != winnerValue }[...]
    }

    /// Folds one write into `state` under `policy` and returns the new state.
    ///
    /// - Parameters:
    ///   - write: the version and value written.
    ///   - bases: the versions the write supersedes (used by `lww` only).
    ///   - isSuperseded: whether a write the replica already holds lists `write`'s version
    ///     among its bases (`lww` only).
    ///   - rank: the position of a state in a `forward` field's order.
    /// - Returns: `nil` only when `state` was `nil` and the write is itself superseded.
    public static func merging(
        _ state: FieldState?, _ write: Head, bases: [Version], policy: MergePolicy, isSuperseded: Bool,
        rank: (FieldValue) -> Int
    ) -> FieldState? {
        guard var state else {
            return policy == .lww && isSuperseded ? nil : FieldState(write)
        }
        switch policy {
        case .lww:
            if !bases.isEmpty {
                state.heads.removeAll { bases.contains($0.version) }
            }
            if !isSuperseded {
                state.insertHead(write)
            }
            return state.heads.isEmpty ? nil : state
        case .forward:
            let current = state.heads[0]
            let value = rank(write.value) > rank(current.value) ? write.value : current.value
            state.heads[0] = Head(version: max(current.version, write.version), value: value)
            return state
        case .set:
            if Self.precedes(state.heads[0], write) { state.heads[0] = write }
            return state
        case .immutable:
            if Self.precedes(write, state.heads[0]) { state.heads[0] = write }
            return state
        }
    }

    /// Inserts an lww head in version order; of two writes with the same version (which only
    /// a misbehaving site produces) the one with the greater canonical value stays.
    private mutating func insertHead(_ write: Head) {
        if let index = heads.firstIndex(where: { $0.version == write.version }) {
            if Self.precedes(heads[index], write) { heads[index] = write }
            return
        }
        let index = heads.firstIndex { $0.version < write.version } ?? heads.endIndex
        heads.insert(write, at: index)
    }

    /// The total order of writes: by version, then by canonical value text.
    static func precedes(_ a: Head, _ b: Head) -> Bool {
        if a.version != b.version { return a.version < b.version }
        return CanonicalJSON.text(of: a.value).utf8Ordered < CanonicalJSON.text(of: b.value).utf8Ordered
    }
}
