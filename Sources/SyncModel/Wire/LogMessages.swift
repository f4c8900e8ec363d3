/// One change of the hub's log as the auditor's change feed shows it (`GET /v1/log`,
/// `tributary-hub log`): the change exactly as it was applied — origin site and seq, clock,
/// scope, record, field, element, value and bases — with its log position.
///
/// On the wire it is the change's own keys plus `pos`, and `personal: true` when the value is
/// a personal field's and was withheld (`value` is then `null`).
public struct LogEntry: Hashable, Sendable, Codable {
    /// The change's position in the hub's log (the pull cursor's unit).
    public var position: Int64
    /// The change as applied.
    public var change: Change
    /// Whether the value was withheld because the field is personal.
    public var withheld: Bool

    /// Creates an entry.
    public init(position: Int64, change: Change, withheld: Bool = false) {
        self.position = position
        self.change = change
        self.withheld = withheld
    }

    /// This entry with a personal field's value withheld (set elements are never personal).
    public func withholdingPersonal(_ schema: Schema) -> LogEntry {
        guard change.element == nil, change.value != .null, schema.field(change.field, of: change.type)?.personal == true
        else { return self }
        var entry = self
        entry.change.value = .null
        entry.withheld = true
        return entry
    }

    enum CodingKeys: String, CodingKey {
        case position = "pos", personal
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        position = try c.decode(Int64.self, forKey: .position)
        withheld = try c.decodeIfPresent(Bool.self, forKey: .personal) ?? false
        change = try Change(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(position, forKey: .position)
        if withheld { try c.encode(true, forKey: .personal) }
        try change.encode(to: encoder)
    }
}

/// A page of the hub's change feed: entries after a position, in log order.
public struct LogPage: Hashable, Sendable, Codable {
    /// The entries, in log order.
    public var entries: [LogEntry]
    /// The position to ask after for the next page: the last entry's, or the position asked
    /// after when the page is empty.
    public var cursor: Int64
    /// Whether the log goes on past `cursor`.
    public var more: Bool

    /// Creates a page.
    public init(entries: [LogEntry], cursor: Int64, more: Bool) {
        self.entries = entries
        self.cursor = cursor
        self.more = more
    }
}
