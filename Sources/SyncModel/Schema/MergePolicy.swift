/// How concurrent writes of one field are reconciled.
public enum MergePolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// The greatest version among the field's heads wins; other heads with another value are
    /// conflicts to review.
    case lww
    /// The value is the furthest of an ordered list of states that any write reached (a
    /// lattice join); concurrent advances are not conflicts.
    case forward
    /// Each element is its own last-writer-wins flag; the field is the set of present elements.
    case set
    /// Written once, at creation; an update is refused. Should two creations meet, the
    /// earliest version stands.
    case immutable
}

/// The kind of value a field holds.
public enum ValueKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Short text (at most 1,024 characters).
    case string
    /// Long text (at most 65,536 characters), e.g. minutes.
    case text
    /// A whole number.
    case int
    /// A decimal number.
    case number
    /// `true` or `false`.
    case bool
    /// A calendar date `YYYY-MM-DD`.
    case date
    /// The id of another record.
    case ref
    /// One of a fixed list of values.
    case `enum`
    /// A set of ids or short strings (only with the `set` policy).
    case set
}
