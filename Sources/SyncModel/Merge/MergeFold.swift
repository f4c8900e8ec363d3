/// What a ``MergeFold`` reads from the replica it folds changes into.
///
/// A store answers from its tables (SQLite looks each key up when asked; PostgreSQL loads a
/// batch's keys at once and answers from memory); ``MemoryReplica`` from its dictionaries.
public protocol MergeSource {
    /// The merged state of one field key, `nil` when the replica holds none.
    func fieldState(_ key: FieldKey) throws -> FieldState?
    /// Whether a write the replica holds lists `version` among the bases of the lww field
    /// `key` (a field key without element).
    func isSuperseded(_ version: Version, of key: FieldKey) throws -> Bool
    /// The record's row, `nil` when the replica holds no field of the record.
    func recordRow(_ record: RecordKey) throws -> RecordRowState?
}

/// A record's row as a replica keeps it beside its fields: where it lies and whether it is
/// deleted, both derived from its fields' winners.
public struct RecordRowState: Hashable, Sendable {
    /// Where the record lies (``RecordType/place(id:values:)``).
    public var place: RecordPlace
    /// Whether the record's `_deleted` winner is `true`.
    public var deleted: Bool

    /// Creates a row value.
    public init(place: RecordPlace, deleted: Bool = false) {
        self.place = place
        self.deleted = deleted
    }
}

/// The merge of a batch of changes into a replica: the one place where a change becomes
/// merged state, for every store and for the reference replica.
///
/// It reads what it needs from a ``MergeSource``, folds each change (``merge(_:)``) or
/// snapshot record (``install(_:)``) with ``FieldState/merging(_:_:bases:policy:isSuperseded:rank:)``,
/// keeps the superseded versions and record rows in step, and hands back only what changed
/// (``result``) for the store to write, each key once. The fold is a pure function of the
/// source and the inputs, so every store that writes its result holds the same state.
public struct MergeFold<Source: MergeSource> {
    /// The schema the changes were validated against.
    public let schema: Schema
    private let source: Source
    /// States read or written so far (`nil`: the key holds nothing).
    private var states: [FieldKey: FieldState?] = [:]
    /// Whether each key held a state in the source (for the store: insert or update).
    private var existed: [FieldKey: Bool] = [:]
    /// Keys whose state changed, in the order they first changed.
    private var changedOrder: [FieldKey] = []
    private var changed: Set<FieldKey> = []
    /// Bases remembered by this batch, per lww field key.
    private var remembered: [FieldKey: Set<Version>] = [:]
    private var rememberedOrder: [(FieldKey, Version)] = []
    /// Rows read or written so far (`nil`: no row), with whether the source held one.
    private var rows: [RecordKey: RecordRowState?] = [:]
    private var rowExisted: [RecordKey: Bool] = [:]
    private var rowOrder: [RecordKey] = []
    private var rowChanged: Set<RecordKey> = []
    /// Records whose fields or row changed.
    public private(set) var changedRecords: Set<RecordKey> = []

    /// Creates a fold over `source`.
    public init(schema: Schema, source: Source) {
        self.schema = schema
        self.source = source
    }

    // MARK: Reading

    /// The merged state of `key` as the fold holds it now.
    public mutating func state(of key: FieldKey) throws -> FieldState? {
        if let known = states[key] { return known }
        // A record the source holds no row of holds no field there: nothing to look up (most
        // keys of a batch that creates records).
        let record = key.record
        _ = try row(of: record)
        let loaded = rowExisted[record] == true ? try source.fieldState(key) : nil
        states[key] = .some(loaded)
        existed[key] = loaded != nil
        return loaded
    }

    /// The record's row as the fold holds it now.
    public mutating func row(of record: RecordKey) throws -> RecordRowState? {
        if let known = rows[record] { return known }
        let loaded = try source.recordRow(record)
        rows[record] = .some(loaded)
        rowExisted[record] = loaded != nil
        return loaded
    }

    private mutating func isSuperseded(_ version: Version, of key: FieldKey) throws -> Bool {
        if remembered[key]?.contains(version) == true { return true }
        return try source.isSuperseded(version, of: key)
    }

    // MARK: Folding

    /// Folds one valid, new change into the state of its field and its record.
    public mutating func merge(_ change: Change) throws {
        guard let recordType = schema.types[change.type], let spec = schema.field(change.field, of: change.type),
            let policy = recordType.effectivePolicy(of: change.field)
        else { return }
        let key = change.key
        let current = try state(of: key)
        var superseded = false
        if policy == .lww {
            remember(change.bases, of: key)
            // A write that supersedes this one is newer than it (bases are older than their
            // change) and leaves a newer head behind; with no newer head there is nothing to
            // look up — the common case of a first write or an overwrite in order.
            if let winner = current?.winner, winner.version > change.version {
                superseded = try isSuperseded(change.version, of: key)
            }
        }
        let merged = FieldState.merging(
            current, Head(version: change.version, value: change.value), bases: change.bases, policy: policy,
            isSuperseded: superseded, rank: { spec.rank(of: $0.stringValue ?? "") ?? -1 })
        set(merged, for: key, was: current)
        if merged != nil, try row(of: change.record) == nil {
            // A new record lies where its scope field says, and nowhere until it is written
            // (never where a change claims it is: that would depend on arrival order).
            let placedBy = change.field == recordType.scopeField && change.element == nil ? change.value.stringValue : nil
            let place = recordType.scopeField == nil ? RecordPlace(scope: change.id) : RecordPlace(scope: placedBy ?? "")
            setRow(RecordRowState(place: place), for: change.record)
        }
        guard change.element == nil, let winner = merged?.winner.value, var row = try row(of: change.record) else { return }
        if change.field == recordType.scopeField, let scope = winner.stringValue {
            row.place.scope = scope
        } else if change.field == recordType.secondScopeField {
            row.place.scope2 = winner.stringValue
        } else if change.field == Schema.deletedField {
            row.deleted = winner == .bool(true)
        } else {
            return
        }
        setRow(row, for: change.record)
    }

    /// Folds a snapshot record (a hub's merged state of one record) into the replica: each head
    /// merges as a write with no bases, the record's superseded versions are remembered, and
    /// heads known to be superseded are dropped. Installing is idempotent and commutes with
    /// applying the changes the snapshot reflects.
    public mutating func install(_ record: SnapshotRecord) throws {
        guard let recordType = schema.types[record.type] else { return }
        let recordKey = RecordKey(type: record.type, id: record.id)
        for field in record.fields {
            guard let policy = recordType.effectivePolicy(of: field.field), let spec = schema.field(field.field, of: record.type)
            else { continue }
            let key = FieldKey(type: record.type, id: record.id, field: field.field, element: field.element)
            if policy == .lww { remember(field.superseded, of: key) }
            let current = try state(of: key)
            var state = current
            for head in field.heads {
                let superseded = policy == .lww ? try isSuperseded(head.version, of: key) : false
                state = FieldState.merging(
                    state, head, bases: [], policy: policy, isSuperseded: superseded, rank: { spec.rank(of: $0.stringValue ?? "") ?? -1 })
            }
            if policy == .lww, let merged = state {
                var standing: [Head] = []
                for head in merged.heads where !(try isSuperseded(head.version, of: key)) { standing.append(head) }
                state = FieldState(heads: standing)
            }
            set(state, for: key, was: current)
        }
        // The row follows the merged fields that decide it.
        var values: [String: FieldValue] = [:]
        for name in [recordType.scopeField, recordType.secondScopeField, Schema.deletedField].compactMap({ $0 }) {
            if let winner = try state(of: FieldKey(type: record.type, id: record.id, field: name))?.winner { values[name] = winner.value }
        }
        let place = recordType.place(id: record.id, values: values)
        setRow(RecordRowState(place: place, deleted: values[Schema.deletedField] == .bool(true)), for: recordKey)
        changedRecords.insert(recordKey)
    }

    private mutating func remember(_ versions: [Version], of key: FieldKey) {
        for version in versions where remembered[key, default: []].insert(version).inserted {
            rememberedOrder.append((key, version))
        }
    }

    private mutating func set(_ state: FieldState?, for key: FieldKey, was current: FieldState?) {
        guard state != current else { return }
        states[key] = .some(state)
        if changed.insert(key).inserted { changedOrder.append(key) }
        changedRecords.insert(key.record)
    }

    private mutating func setRow(_ row: RecordRowState, for record: RecordKey) {
        if rows[record] == .some(row) { return }
        if rowExisted[record] == nil { rowExisted[record] = false }
        rows[record] = .some(row)
        if rowChanged.insert(record).inserted { rowOrder.append(record) }
        changedRecords.insert(record)
    }

    // MARK: Result

    /// What the batch changed, for the store to write.
    public var result: MergeResult {
        MergeResult(
            fields: changedOrder.map { key in
                MergeResult.FieldWrite(key: key, state: states[key] ?? nil, existed: existed[key] ?? false)
            },
            superseded: rememberedOrder.map { MergeResult.Superseded(key: $0.0, version: $0.1) },
            rows: rowOrder.compactMap { record in
                guard let row = rows[record] ?? nil else { return nil }
                return MergeResult.RowWrite(record: record, row: row, existed: rowExisted[record] ?? false)
            },
            changedRecords: changedRecords)
    }
}

/// What a ``MergeFold`` changed: each field key, superseded version and record row to write.
public struct MergeResult: Sendable {
    /// A field key's new state (`nil`: the key holds nothing any more).
    public struct FieldWrite: Sendable {
        /// The field key.
        public var key: FieldKey
        /// Its new state.
        public var state: FieldState?
        /// Whether the store held a state for it before the batch.
        public var existed: Bool
    }

    /// A version some write of the batch lists as a base of an lww field.
    public struct Superseded: Sendable {
        /// The field key (without element).
        public var key: FieldKey
        /// The superseded version.
        public var version: Version
    }

    /// A record row to write.
    public struct RowWrite: Sendable {
        /// The record.
        public var record: RecordKey
        /// Its row now.
        public var row: RecordRowState
        /// Whether the store held a row for it before the batch.
        public var existed: Bool
    }

    /// Field keys whose state changed, in the order they first changed.
    public var fields: [FieldWrite]
    /// Versions to remember as superseded (some may be known already).
    public var superseded: [Superseded]
    /// Record rows that are new or changed.
    public var rows: [RowWrite]
    /// Records whose fields or row changed.
    public var changedRecords: Set<RecordKey>
}
