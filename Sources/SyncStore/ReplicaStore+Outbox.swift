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

    /// Records the hub's answer to a push (or a hub bundle): every own change up to `seq` is
    /// acknowledged, each refusal is kept with its reason, and every record a refused change
    /// names takes the hub's state (``takeHubState(of:_:_:)``) — the station then holds what
    /// the hub holds, never a state rebuilt from its own log, which lacks what a snapshot
    /// brought (SPEC §11).
    ///
    /// - Parameter records: the hub's current state of the refused records as this replica
    ///   sees them; a refused record missing from it is one the replica does not see at the hub.
    package func acknowledge(upTo seq: UInt64, refusals: [Refusal], records: [SnapshotRecord], _ db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO refusals (site, seq, code, message) VALUES (?, ?, ?, ?)")
        let find = try db.cachedStatement(sql: "SELECT type, rid FROM log WHERE site = ? AND seq = ?")
        var refusedRecords: Set<RecordKey> = []
        for refusal in refusals where refusal.origin.site == siteID {
            let origin: [any DatabaseValueConvertible] = [Int64(bits: siteID.rawValue), Int64(bitPattern: refusal.origin.seq)]
            try insert.execute(arguments: StatementArguments(origin + [refusal.error.code.rawValue, refusal.error.message]))
            if let row = try Row.fetchOne(find, arguments: StatementArguments(origin)) {
                refusedRecords.insert(RecordKey(type: row[0], id: row[1]))
            }
        }
        if seq > (try ackedSeq(db)) {
            try Meta.ackedSeq.write(String(seq), db)
        }
        guard !refusedRecords.isEmpty else { return }
        let hubState = Dictionary(records.map { (RecordKey(type: $0.type, id: $0.id), $0) }, uniquingKeysWith: { a, _ in a })
        for key in refusedRecords.sorted() {
            try takeHubState(of: key, hubState[key], db)
        }
    }

    /// Replaces this replica's state of one record with the hub's (`nil`: the hub holds none
    /// this replica may see), then folds in again this replica's own changes of the record
    /// that the hub has not acknowledged yet (they reach it with the next push).
    package func takeHubState(of key: RecordKey, _ state: SnapshotRecord?, _ db: Database) throws {
        try removeRecord(key, db)
        if let state { try install([state], db) }
        let pending = try Row.fetchAll(
            db,
            sql: """
                SELECT \(Self.logColumns) FROM log
                WHERE site = ? AND seq > ? AND type = ? AND rid = ?
                  AND NOT EXISTS (SELECT 1 FROM refusals r WHERE r.site = log.site AND r.seq = log.seq)
                ORDER BY seq
                """,
            arguments: [Int64(bits: siteID.rawValue), Int64(bitPattern: try ackedSeq(db)), key.type, key.id])
        guard !pending.isEmpty else { return }
        var merger = try Merger(self, db)
        for row in pending {
            try merger.merge(change(row).change)
        }
        try merger.finish()
    }
}
