import SyncModel
import SyncServer
import SyncStore

/// What every replica must hold: a ``MemoryReplica`` fed every change the hub ever accepted
/// (read from the hub's log before anything is compacted away), cut to one station's view by
/// ``ScopeRuleUnderTest``.
struct ReferenceView {
    let schema: Schema
    let tree: AgreementTree
    /// Every accepted change merged, in hub log order.
    private(set) var replica: MemoryReplica
    /// The hub log position read up to.
    private(set) var collectedUpTo: Int64 = 0
    /// How many accepted changes were collected.
    private(set) var changeCount = 0
    /// The merged records, in canonical order, as of the last collection.
    private var merged: [RecordState] = []

    init(schema: Schema, tree: AgreementTree) {
        self.schema = schema
        self.tree = tree
        self.replica = MemoryReplica(schema: schema)
    }

    /// Reads the hub's log past what was read before. Call before every compaction (which
    /// drops entries) and before every check.
    mutating func collect(from hub: any HubStore) async throws {
        while true {
            let page = try await hub.log(after: collectedUpTo, limit: 5_000).entries
            guard let last = page.last else {
                merged = replica.records
                return
            }
            // The hub validated them against its clock; any clock may read them now.
            let report = replica.apply(page.map(\.change), context: ValidationContext(wallMillis: .max / 2))
            precondition(report.refused.isEmpty, "the reference refused a change the hub holds: \(report.refused)")
            changeCount += report.applied.count
            collectedUpTo = last.position
        }
    }

    /// Where a record lies, from its merged state (``RecordType/place(id:values:)``): its
    /// scope field's winner (its own id for an org unit) and its second scope field's.
    func place(of record: RecordState) -> RecordPlace {
        schema.types[record.key.type]?.place(id: record.key.id, values: record.values) ?? .unplaced
    }

    /// The records a station at `unit` must hold, in canonical order, personal fields dropped
    /// where it does not own the record; a record left with no field is absent.
    func records(for unit: String?) -> [RecordState] {
        merged.compactMap { record in
            guard let unit else { return record }
            switch ScopeRuleUnderTest.visibility(of: place(of: record), station: unit, tree: tree) {
            case .hidden: return nil
            case .whole: return record
            case .withoutPersonal:
                var kept = record
                for name in record.fields.keys where schema.field(name, of: record.key.type)?.personal == true {
                    kept.fields[name] = nil
                }
                for name in record.sets.keys where schema.field(name, of: record.key.type)?.personal == true {
                    kept.sets[name] = nil
                }
                return kept.fields.isEmpty && kept.sets.isEmpty ? nil : kept
            }
        }
    }

    /// The canonical dump a station at `unit` must produce (the whole hub for `nil`).
    func dump(for unit: String?) -> [UInt8] {
        var dump = CanonicalDump(schema: schema)
        for record in records(for: unit) { dump.add(record) }
        return dump.finish()
    }
}
