public import SyncModel
package import GRDB

extension ReplicaStore {
    /// The columns every log query selects, in the order ``change(_:)`` reads them.
    package static let logColumns = "pos, site, seq, hlc, type, rid, scope, field, elem, value, bases"

    /// Builds a change from a log row selected with ``logColumns``.
    package func change(_ row: Row) -> LoggedChange {
        let type: String = row[4]
        let field: String = row[7]
        let element: String? = row[8]
        let kind = element == nil ? schema.storedKind(type: type, field: field) : nil
        let basesText: String? = row[10]
        let change = Change(
            site: SiteID(rawValue: UInt64(bits: row[1])), seq: UInt64(bitPattern: row[2]),
            hlc: HLC(rawValue: UInt64(bits: row[3])), type: type, id: row[5], scope: row[6], field: field,
            element: element, value: ValueColumn.fieldValue(row[9], kind: kind),
            bases: basesText.map { $0.split(separator: ",").compactMap { Version(text: $0) } } ?? [])
        return LoggedChange(position: row[0], change: change)
    }

    /// Builds a change from the current row of a statement that selected ``logColumns``
    /// (from column `offset` on), reading the columns straight from SQLite.
    package func change(_ statement: RawStatement, offset: Int32 = 0) -> LoggedChange {
        let type = statement.text(offset + 4) ?? ""
        let field = statement.text(offset + 7) ?? ""
        let element = statement.text(offset + 8)
        let kind = element == nil ? schema.storedKind(type: type, field: field) : nil
        let change = Change(
            site: SiteID(rawValue: UInt64(bits: statement.int64(offset + 1))), seq: UInt64(bitPattern: statement.int64(offset + 2)),
            hlc: HLC(rawValue: UInt64(bits: statement.int64(offset + 3))), type: type, id: statement.text(offset + 5) ?? "",
            scope: statement.text(offset + 6) ?? "", field: field, element: element, value: statement.value(offset + 9, kind: kind),
            bases: statement.text(offset + 10).map { $0.split(separator: ",").compactMap { Version(text: $0) } } ?? [])
        return LoggedChange(position: statement.int64(offset), change: change)
    }

    /// Changes after log position `after`, in log order, at most `limit`.
    public func changes(after position: Int64, limit: Int) throws(SyncError) -> [LoggedChange] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.logColumns) FROM log WHERE pos > ? ORDER BY pos LIMIT ?",
                arguments: [position, limit]
            ).map(change)
        }
    }

    /// Every write this replica holds for one record, oldest log position first, with the
    /// sync state of those it wrote itself.
    public func history(of record: RecordKey) throws(SyncError) -> [LoggedChange] {
        try read { db in
            let acked = try ackedSeq(db)
            let refusals = try refusalsByOrigin(db)
            return try Row.fetchAll(
                db, sql: "SELECT \(Self.logColumns) FROM log WHERE type = ? AND rid = ? ORDER BY pos",
                arguments: [record.type, record.id]
            ).map { row in
                var logged = change(row)
                if logged.change.site == siteID {
                    logged.state = syncState(of: logged.change, acked: acked, refusals: refusals)
                }
                return logged
            }
        }
    }

    /// The number of changes in the log.
    public func logCount() throws(SyncError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM log") ?? 0 }
    }

    /// The highest log position, 0 when empty.
    public func lastPosition() throws(SyncError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(pos) FROM log") ?? 0 }
    }

    func syncState(of change: Change, acked: UInt64, refusals: [UInt64: SyncError]) -> LoggedChange.SyncState {
        if let error = refusals[change.seq] { return .refused(error) }
        return change.seq <= acked ? .acknowledged : .waiting
    }
}

extension ReplicaStore {
    /// Drops the log entries whose clock is older than `cutoff` and that no longer stand in
    /// their field (their version is none of the field's heads): the field's merged state —
    /// heads and superseded versions — holds everything they decide. Returns the position and
    /// record of each entry dropped.
    package func dropLogEntries(olderThan cutoff: HLC, _ db: Database) throws -> [(position: Int64, record: RecordKey)] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT l.pos, l.type, l.rid, l.hlc, l.site, f.heads FROM log l
                JOIN fields f ON f.type = l.type AND f.rid = l.rid AND f.field = l.field AND f.elem = coalesce(l.elem, '')
                WHERE l.hlc < ? AND NOT (f.hlc = l.hlc AND f.site = l.site)
                """,
            arguments: [Int64(bits: cutoff.rawValue)])
        let delete = try db.cachedStatement(sql: "DELETE FROM log WHERE pos = ?")
        var dropped: [(position: Int64, record: RecordKey)] = []
        for row in rows {
            if let heads: String = row[5] {
                // In conflict: an entry that is one of the other heads stays.
                let version = Version(hlc: HLC(rawValue: UInt64(bits: row[3])), site: SiteID(rawValue: UInt64(bits: row[4])))
                if HeadsColumn.decode(heads, kind: nil).contains(where: { $0.version == version }) { continue }
            }
            let position: Int64 = row[0]
            try delete.execute(arguments: [position])
            dropped.append((position, RecordKey(type: row[1], id: row[2])))
        }
        return dropped
    }
}
