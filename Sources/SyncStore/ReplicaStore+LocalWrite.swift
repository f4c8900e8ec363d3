public import SyncModel
package import GRDB

extension ReplicaStore {
    /// Records edits made on this replica: each becomes a change with the next sequence
    /// number and a fresh clock value, appended to the log (and so to the outbox) and merged,
    /// all in one transaction. Either every edit is written or, if one is refused, none.
    ///
    /// An lww write's bases are the winner it overwrites (or, when it ``LocalEdit/settles``
    /// a conflict, every head); other policies need no bases.
    @discardableResult
    public func writeLocal(_ edits: [LocalEdit]) throws(SyncError) -> [Change] {
        try write { db in try self.writeLocal(edits, db) }
    }

    /// Records local edits inside the caller's transaction.
    package func writeLocal(_ edits: [LocalEdit], _ db: Database) throws -> [Change] {
        let wall = wallClock.nowMillis()
        // A replica's own clock may run ahead of its wall clock (it adopted a peer's); its
        // own writes are not held to the clock guard, which protects receivers.
        let context = ValidationContext(wallMillis: wall, maxDriftMillis: .max)
        var nextSeq = try Meta.nextSeq.read(db).flatMap { UInt64($0) } ?? 1
        var written: [Change] = []
        try updateClock(db) { clock in
            written = edits.map { edit in
                let hlc = clock.now(wallMillis: wall)
                defer { nextSeq += 1 }
                return Change(
                    site: siteID, seq: nextSeq, hlc: hlc, type: edit.key.type, id: edit.key.id, scope: edit.scope,
                    field: edit.key.field, element: edit.key.element, value: edit.value)
            }
        }
        var merger = try Merger(self, db)
        for index in written.indices {
            let edit = edits[index]
            if schema.types[edit.key.type]?.effectivePolicy(of: edit.key.field) == .lww,
                let heads = try merger.state(of: edit.key)?.heads
            {
                written[index].bases = edit.settles ? heads.map(\.version) : [heads[0].version]
            }
            let valid = try schema.validate(written[index], in: context)
            written[index] = valid
            _ = try merger.appendToLog(valid)
            try merger.merge(valid)
        }
        try merger.finish()
        try Meta.nextSeq.write(String(nextSeq), db)
        return written
    }
}
