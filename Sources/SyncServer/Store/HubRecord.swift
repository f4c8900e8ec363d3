public import SyncModel

/// One live record as the hub's generic reports read it: its merged state and where it lies
/// in the org tree (the winners of its type's scope fields, as the store keeps them).
public struct HubRecord: Hashable, Sendable {
    /// The record's merged state: every field's heads and winner, set elements included.
    public var state: RecordState
    /// Where the record lies; ``RecordPlace/unplaced`` when its scope field holds no value.
    public var place: RecordPlace

    /// Creates a value.
    public init(state: RecordState, place: RecordPlace) {
        self.state = state
        self.place = place
    }

    /// The record's id.
    public var id: String { state.key.id }
}
