/// Everything a replica holds about one record: the merged state of each field and of each
/// element of its set fields.
public struct RecordState: Hashable, Sendable {
    /// The record.
    public var key: RecordKey
    /// Merged scalar fields (including `_deleted`) by name.
    public var fields: [String: FieldState]
    /// Merged set fields: field name → element → state (value `true` when present).
    public var sets: [String: [String: FieldState]]

    /// Creates an empty record state.
    public init(key: RecordKey, fields: [String: FieldState] = [:], sets: [String: [String: FieldState]] = [:]) {
        self.key = key
        self.fields = fields
        self.sets = sets
    }

    /// Records the merged state of one field key of this record.
    public mutating func set(_ state: FieldState, for key: FieldKey) {
        if let element = key.element {
            sets[key.field, default: [:]][element] = state
        } else {
            fields[key.field] = state
        }
    }

    /// The winning `_deleted` write, when the record is deleted.
    public var deletion: Head? {
        guard let winner = fields[Schema.deletedField]?.winner, winner.value == .bool(true) else { return nil }
        return winner
    }

    /// Whether the record is deleted.
    public var isDeleted: Bool { deletion != nil }

    /// The shown value of each scalar field (without `_deleted`).
    public var values: [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for (name, state) in fields where name != Schema.deletedField {
            values[name] = state.winner.value
        }
        return values
    }

    /// The present elements of each set field, in UTF-8 order.
    public var setValues: [String: [String]] {
        sets.mapValues { elements in
            elements.filter { $0.value.winner.value == .bool(true) }.keys.sorted { $0.utf8Ordered < $1.utf8Ordered }
        }
    }

    /// The conflicts of this record, sorted: concurrent heads of `lww` fields, and, when
    /// the record is deleted, every write made after the delete without seeing it.
    public func conflicts(policy: (String) -> MergePolicy?) -> [Conflict] {
        var conflicts: [Conflict] = []
        for (name, state) in fields where policy(name) == .lww {
            for head in state.losingHeads {
                conflicts.append(
                    Conflict(kind: .concurrent, type: key.type, id: key.id, field: name, winner: state.winner.version,
                             version: head.version, value: head.value))
            }
        }
        if let deletion {
            for (name, state) in fields where name != Schema.deletedField && state.winner.version > deletion.version {
                conflicts.append(
                    Conflict(kind: .deleteEdit, type: key.type, id: key.id, field: name, winner: deletion.version,
                             version: state.winner.version, value: state.winner.value))
            }
            for (name, elements) in sets {
                for (element, state) in elements where state.winner.version > deletion.version {
                    conflicts.append(
                        Conflict(kind: .deleteEdit, type: key.type, id: key.id, field: name, element: element,
                                 winner: deletion.version, version: state.winner.version, value: state.winner.value))
                }
            }
        }
        return conflicts.sorted()
    }
}
