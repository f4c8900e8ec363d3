/// Where a record lies in the org tree: its org unit (the winner of its type's scope field, or
/// its own id for an org unit) and, for a type with a second scope field (a transfer's
/// destination), that unit too.
///
/// A record whose scope field holds no value yet — every write of it was refused — lies
/// nowhere (``unplaced``): no station sees it until a write places it.
public struct RecordPlace: Hashable, Sendable {
    /// The record's org unit; empty for a record that lies nowhere.
    public var scope: String
    /// The second org unit that also sees the record, if any.
    public var scope2: String?

    /// Creates a place.
    public init(scope: String, scope2: String? = nil) {
        self.scope = scope
        self.scope2 = scope2
    }

    /// The place of a record whose scope field has no value.
    public static let unplaced = RecordPlace(scope: "")

    /// Whether the record lies somewhere.
    public var isPlaced: Bool { !scope.isEmpty }
}

extension RecordType {
    /// The place of a record of this type with `id` whose fields show `values` (winners).
    public func place(id: String, values: [String: FieldValue]) -> RecordPlace {
        guard let scopeField else { return RecordPlace(scope: id) }
        guard let scope = values[scopeField]?.stringValue else { return .unplaced }
        return RecordPlace(scope: scope, scope2: secondScopeField.flatMap { values[$0]?.stringValue })
    }

    /// The field naming the record's second org unit (a transfer's destination), if any.
    public var secondScopeField: String? { alsoScopeFields.first }
}
