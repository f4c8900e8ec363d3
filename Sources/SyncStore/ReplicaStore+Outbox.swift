public import SyncModel
package import GRDB

extension Meta {
    /// The highest own seq the hub has acknowledged (held or refused).
    package static let ackedSeq = Meta(key: "acked_seq")
}

extension ReplicaStore {
    /// This replica's changes the hub has not yet acknowledged, in seq order.
    public func outbox(limit: Int = .max) throws(SyncError) -> [Change] {
        try read { db in try outbox(limit: limit, db) }
    }

    package func outbox(limit: Int, _ db: Database) throws -> [Change] {
        try Row.fetchAll(
            db, sql: "SELECT \(Self.logColumns) FROM log WHERE site = ? AND seq > ? ORDER BY seq LIMIT ?",
            arguments: [Int64(bits: siteID.rawValue), Int64(bitPattern: try ackedSeq(db)), min(limit, Int(Int32.max))]
        ).map { change($0).change }
    }

    /// This replica's own changes with a seq above `seq`, in seq order (every own change for 0).
    package func ownChanges(after seq: UInt64, _ db: Database) throws -> [Change] {
        try Row.fetchAll(
            db, sql: "SELECT \(Self.logColumns) FROM log WHERE site = ? AND seq > ? ORDER BY seq",
            arguments: [Int64(bits: siteID.rawValue), Int64(bitPattern: seq)]
        ).map { change($0).change }
    }

    /// How many of this replica's changes wait for the hub.
    public func outboxCount() throws(SyncError) -> Int {
        try read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM log WHERE site = ? AND seq > ?",
                arguments: [Int64(bits: siteID.rawValue), Int64(bitPattern: try ackedSeq(db))]) ?? 0
        }
    }

    /// The highest own seq the hub has acknowledged.
    package func ackedSeq(_ db: Database) throws -> UInt64 {
        try Meta.ackedSeq.read(db).flatMap { UInt64($0) } ?? 0
    }

    /// Refusals of this replica's own changes, by seq.
    package func refusalsByOrigin(_ db: Database) throws -> [UInt64: SyncError] {
        var result: [UInt64: SyncError] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT seq, code, message FROM refusals WHERE site = ?", arguments: [Int64(bits: siteID.rawValue)])
        {
            result[UInt64(bitPattern: row[0])] = SyncError(SyncErrorCode(rawValue: row[1]), row[2])
        }
        return result
    }

    /// This replica's changes the hub refused, with the reasons, in seq order.
    public func refusedChanges() throws(SyncError) -> [LoggedChange] {
        try read { db in
            let refusals = try refusalsByOrigin(db)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.logColumns) FROM log
                    WHERE site = ? AND seq IN (SELECT seq FROM refusals WHERE site = ?) ORDER BY seq
                    """,
                arguments: [Int64(bits: siteID.rawValue), Int64(bits: siteID.rawValue)]
            ).map { row in
                var logged = change(row)
                logged.state = refusals[logged.change.seq].map { .refused($0) }
                return logged
            }
        }
    }

    /// Records the hub's answer to a push: every own change up to `seq` is acknowledged, and
    /// the refused ones are kept with their reason and taken out of the merge, so that this
    /// replica agrees with the hub, which never applied them.
    package func acknowledge(upTo seq: UInt64, refusals: [Refusal], _ db: Database) throws {
        for refusal in refusals where refusal.origin.site == siteID {
            try db.execute(
                sql: "INSERT OR REPLACE INTO refusals (site, seq, code, message) VALUES (?, ?, ?, ?)",
                arguments: [
                    Int64(bits: siteID.rawValue), Int64(bitPattern: refusal.origin.seq), refusal.error.code.rawValue,
                    refusal.error.message,
                ])
            if let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.logColumns) FROM log WHERE site = ? AND seq = ?",
                arguments: [Int64(bits: siteID.rawValue), Int64(bitPattern: refusal.origin.seq)])
            {
                try rebuildField(change(row).change.key, db)
            }
        }
        if seq > (try ackedSeq(db)) {
            try Meta.ackedSeq.write(String(seq), db)
        }
    }

    /// Recomputes one field key from the log, leaving out refused changes.
    /// A record that left this replica's scope (``removeRecord(_:_:)``) has no `records` row
    /// and stays gone: rebuilding one of its fields would bring back a fragment of it.
    package func rebuildField(_ key: FieldKey, _ db: Database) throws {
        let held = try db.cachedStatement(sql: "SELECT 1 FROM records WHERE type = ? AND rid = ?")
        guard try Bool.fetchOne(held, arguments: [key.type, key.id]) != nil else { return }
        var merger = try Merger(self, db)
        try merger.saveField(key, nil)
        try db.execute(
            sql: "DELETE FROM superseded WHERE type = ? AND rid = ? AND field = ?",
            arguments: [key.type, key.id, key.field])
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(Self.logColumns) FROM log
                WHERE type = ? AND rid = ? AND field = ? AND elem IS ?
                  AND NOT EXISTS (SELECT 1 FROM refusals r WHERE r.site = log.site AND r.seq = log.seq)
                ORDER BY pos
                """,
            arguments: [key.type, key.id, key.field, key.element])
        for row in rows {
            try merger.merge(change(row).change)
        }
        try merger.finish()
    }
}
