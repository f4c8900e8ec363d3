import SyncModel
import SyncStore

/// Stamps the edits one simulated station makes the way `ReplicaStore.writeLocal` would:
/// consecutive seqs from 1, a hybrid logical clock that only moves forward, and for an lww
/// field the version the writer holds (its own last write, or one it received) as the base.
/// No database is involved, so a county's worth of changes is generated in a second or two.
struct SiteWriter {
    /// The station's site.
    let site: SiteID
    /// The schema that says which fields are lww.
    let schema: Schema
    /// The changes written so far, in seq order.
    private(set) var changes: [Change] = []
    /// The winning version this station holds for each lww field it knows.
    private var known: [FieldKey: Version]
    private var seq: UInt64 = 0
    private var millis: UInt64
    private var counter: UInt16 = 0

    /// Creates a writer whose clock starts at `startMillis`, holding the versions `known`
    /// (what it received from the hub before it started writing).
    init(site: SiteID, schema: Schema, startMillis: UInt64, known: [FieldKey: Version] = [:]) {
        self.site = site
        self.schema = schema
        self.millis = startMillis
        self.known = known
    }

    /// The next clock value; several changes share a millisecond, as in a batch of edits.
    private mutating func tick() -> HLC {
        counter += 1
        if counter == 256 {
            counter = 0
            millis += 1
        }
        return HLC(millis: millis, counter: counter)
    }

    /// Writes one clerk's save: every edit becomes a change, a record's scope field first as
    /// a station writes it (a record's first push must place it, SPEC §10).
    mutating func write(_ edits: [LocalEdit]) {
        let placing = edits.filter { $0.key.element == nil && $0.key.field == schema.types[$0.key.type]?.scopeField }
        let rest = edits.filter { !($0.key.element == nil && $0.key.field == schema.types[$0.key.type]?.scopeField) }
        for edit in placing + rest {
            seq += 1
            let hlc = tick()
            let isLWW = edit.key.element == nil && schema.types[edit.key.type]?.effectivePolicy(of: edit.key.field) == .lww
            var change = Change(
                site: site, seq: seq, hlc: hlc, type: edit.key.type, id: edit.key.id, scope: edit.scope, field: edit.key.field,
                element: edit.key.element, value: edit.value)
            if isLWW {
                if let base = known[edit.key] { change.bases = [base] }
                known[edit.key] = change.version
            }
            changes.append(change)
        }
    }

    /// The versions of every lww field written so far (for writers that received them).
    var versions: [FieldKey: Version] { known }
}
