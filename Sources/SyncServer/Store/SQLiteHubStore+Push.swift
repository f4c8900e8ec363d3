public import SyncModel
import SyncStore
import GRDB
import HTTPTypes

extension SQLiteHubStore {
    public func push(_ changes: [Change], from station: HubStation, context: ValidationContext) async throws -> PushResponse {
        try PushCheck.check(changes)
        let contact = now
        return try await pushes.run(size: changes.count) { db in
            try self.apply(changes, from: station, context: context, contact: contact, db)
        }
    }

    /// Applies one push inside its group's transaction (see ``GroupCommit``).
    ///
    /// The push binds the station's token to its site (a site no one else uses), then every
    /// change past the site's acknowledged seq is scope-checked (``ScopeRule``) and applied by
    /// the replica merge, which refuses what the schema or the clock guard refuses. Refused
    /// changes count as acknowledged, so `acked` never goes back (SPEC §10).
    private func apply(_ changes: [Change], from station: HubStation, context: ValidationContext, contact: UInt64, _ db: Database) throws
        -> PushResponse
    {
        let scope = try Self.scope(of: station.org, db)
        if let first = changes.first { try bindSite(first.site, to: station, db) }
        let site = changes.first?.site ?? station.site
        let acked = try site.map { try Self.ackedSeq($0, db) } ?? 0
        if let first = changes.first, first.seq > acked + 1 {
            throw HubError(
                .conflict, .seqGap, "the hub holds seq \(acked) of site \(first.site) and this push starts at \(first.seq); resend from \(acked + 1)",
                acked: acked)
        }
        var duplicates = 0
        var accepted: [Change] = []
        var refused: [PushRefusal] = []
        var refusedRecords: Set<RecordKey> = []
        var rows = RecordRows(db: db, replica: replica)
        var before: [RecordKey: RecordRow] = [:]
        for change in changes {
            if change.seq <= acked {
                duplicates += 1
                // A station resends what it never heard answered: a change refused the
                // first time is refused again, or the station would keep it as accepted.
                if let refusal = try storedRefusal(of: change, db) {
                    refused.append(refusal)
                    refusedRecords.insert(change.record)
                }
                continue
            }
            let row = try rows.row(of: change.record)
            if let error = ScopeRule.writeRefusal(change, place: row?.place, scope: scope, schema: schema) {
                refused.append(PushRefusal(seq: change.seq, code: error.code, message: error.message))
                refusedRecords.insert(change.record)
                continue
            }
            if let row, before[row.key] == nil, movesScope(change) { before[row.key] = row }
            accepted.append(change)
        }
        accepted = try refuseUnplaced(accepted, context: context, rows: &rows, refused: &refused, refusedRecords: &refusedRecords)
        let report = try replica.apply(accepted, context: context, db)
        duplicates += report.duplicates.count
        if !report.refused.isEmpty {
            let records = Dictionary(accepted.map { ($0.seq, $0.record) }, uniquingKeysWith: { a, _ in a })
            for refusal in report.refused {
                refused.append(PushRefusal(seq: refusal.origin.seq, code: refusal.error.code, message: refusal.error.message))
                if let record = records[refusal.origin.seq] { refusedRecords.insert(record) }
            }
        }
        refused.sort { $0.seq < $1.seq }
        try recordRefusals(refused, of: changes, site: site, db)
        try recordMoves(before, db)
        if let last = changes.last, last.seq > acked {
            try db.cachedStatement(
                sql: "INSERT INTO site_seq (site, acked) VALUES (?, ?) ON CONFLICT (site) DO UPDATE SET acked = excluded.acked"
            ).execute(arguments: [Int64(bitPattern: last.site.rawValue), Int64(bitPattern: last.seq)])
        }
        try Self.touch(station, at: contact, db)
        return PushResponse(
            acked: max(acked, changes.last?.seq ?? 0), applied: report.applied.count, duplicates: duplicates,
            refused: refused, records: try currentState(of: refusedRecords, for: scope, db),
            hubClock: try Self.answerClock(at: context.wallMillis, db))
    }

    /// Refuses the changes of records that would lie nowhere: a record the hub holds no place
    /// for (it is new, or every write of its scope field was refused) takes a change only
    /// from a push that also writes its scope field validly. Otherwise every station would
    /// hold a record no one's view includes (SPEC §10 "Scope"). Returns the changes kept.
    private func refuseUnplaced(
        _ changes: [Change], context: ValidationContext, rows: inout RecordRows, refused: inout [PushRefusal],
        refusedRecords: inout Set<RecordKey>
    ) throws -> [Change] {
        var placing: Set<RecordKey> = []
        for change in changes where change.element == nil && change.field == schema.types[change.type]?.scopeField {
            if (try? schema.validate(change, in: context)) != nil { placing.insert(change.record) }
        }
        var kept: [Change] = []
        kept.reserveCapacity(changes.count)
        for change in changes {
            // A change invalid in itself is refused for its own reason when applied.
            guard let recordType = schema.types[change.type], let scopeField = recordType.scopeField,
                try rows.row(of: change.record)?.place.isPlaced != true, !placing.contains(change.record),
                (try? schema.validate(change, in: context)) != nil
            else {
                kept.append(change)
                continue
            }
            refused.append(
                PushRefusal(
                    seq: change.seq, code: .missingField,
                    message: "\(change.type)/\(change.id) has no org unit at the hub: a record's first push writes its \(scopeField)"))
            refusedRecords.insert(change.record)
        }
        return kept
    }

    /// The hub's state of `records` as a station with `scope` sees it, in (type, id) order;
    /// records it does not see are left out.
    func currentState(of records: Set<RecordKey>, for scope: StationScope, _ db: Database) throws -> [SnapshotRecord] {
        try records.sorted().compactMap { key in
            guard let row = try replica.recordRow(key, db) else { return nil }
            let visibility = scope.visibility(of: row.place)
            guard visibility != .hidden else { return nil }
            return try replica.snapshotRecord(row, inclusion: visibility, db)
        }
    }

    /// Whether a change writes a field that decides the record's org units.
    private func movesScope(_ change: Change) -> Bool {
        guard change.element == nil, let recordType = schema.types[change.type] else { return false }
        return change.field == recordType.scopeField || recordType.secondScopeField == change.field
    }

    /// Binds the station's token to `site` on its first push, or refuses a site that is not the
    /// station's own. A site can be bound only while no one else uses it: no other station,
    /// not the hub itself, and no change of it at the hub — so binding it, even by a push whose
    /// every change is refused, takes nothing from anyone (SPEC §10 "Stations and sites").
    private func bindSite(_ site: SiteID, to station: HubStation, _ db: Database) throws {
        let bound = try Int64.fetchOne(db.cachedStatement(sql: "SELECT site FROM stations WHERE id = ?"), arguments: [station.id])
        if let bound {
            guard UInt64(bitPattern: bound) == site.rawValue else {
                throw SyncError(
                    .wrongSite,
                    "station \(station.id) pushes as site \(SiteID(rawValue: UInt64(bitPattern: bound))), not \(site); a reset replica needs a new station token")
            }
            return
        }
        let taken = try Bool.fetchOne(db, sql: "SELECT 1 FROM stations WHERE site = ?", arguments: [Int64(bitPattern: site.rawValue)]) != nil
        guard !taken, site != siteID,
            try Bool.fetchOne(db, sql: "SELECT 1 FROM site_seq WHERE site = ?", arguments: [Int64(bitPattern: site.rawValue)]) == nil
        else {
            throw SyncError(.wrongSite, "site \(site) belongs to another replica; a station pushes only its own changes")
        }
        try db.execute(sql: "UPDATE stations SET site = ? WHERE id = ?", arguments: [Int64(bitPattern: site.rawValue), station.id])
    }

    /// The highest seq of `site` the hub holds.
    static func ackedSeq(_ site: SiteID, _ db: Database) throws -> UInt64 {
        UInt64(
            bitPattern: try Int64.fetchOne(db.cachedStatement(sql: "SELECT acked FROM site_seq WHERE site = ?"), arguments: [Int64(bitPattern: site.rawValue)])
                ?? 0)
    }

    /// The refusal the hub stored when it first received `change`, if it refused it.
    private func storedRefusal(of change: Change, _ db: Database) throws -> PushRefusal? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT code, message FROM hub_refusals WHERE site = ? AND seq = ?"),
                arguments: [Int64(bitPattern: change.site.rawValue), Int64(bitPattern: change.seq)])
        else { return nil }
        return PushRefusal(seq: change.seq, code: SyncErrorCode(rawValue: row[0]), message: row[1])
    }

    /// Stores the refusals of a push (with the record each names, for bundles' answers).
    private func recordRefusals(_ refused: [PushRefusal], of changes: [Change], site: SiteID?, _ db: Database) throws {
        guard let site, let first = changes.first, !refused.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO hub_refusals (site, seq, code, message, type, rid) VALUES (?, ?, ?, ?, ?, ?)")
        for refusal in refused {
            let index = Int(clamping: refusal.seq &- first.seq)
            let record = changes.indices.contains(index) ? changes[index].record : nil
            try insert.execute(arguments: [
                Int64(bitPattern: site.rawValue), Int64(bitPattern: refusal.seq), refusal.code.rawValue, refusal.message, record?.type, record?.id,
            ])
        }
    }

    /// Logs the records whose org units this push changed, at the hub's last log position.
    private func recordMoves(_ before: [RecordKey: RecordRow], _ db: Database) throws {
        guard !before.isEmpty else { return }
        let position = try Self.lastPosition(db)
        for (key, old) in before {
            guard let new = try replica.recordRow(key, db), new.scope != old.scope || new.scope2 != old.scope2 else { continue }
            try db.execute(
                sql: "INSERT INTO moves (pos, type, rid, old_scope, old_scope2, new_scope, new_scope2) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [position, key.type, key.id, old.scope, old.scope2, new.scope, new.scope2])
        }
    }

    /// The hub's clock as last saved.
    static func clock(_ db: Database) throws -> HLC {
        try Meta.clock.read(db).flatMap { HLC(hex: $0) } ?? .zero
    }

    /// The clock an answer carries: a send event, the later of the hub's clock and its wall
    /// clock, so that a station that only pulls compares itself with the hub's time and not
    /// with the hub's last write, however long ago that was (SPEC §2).
    static func answerClock(at wallMillis: UInt64, _ db: Database) throws -> HLC {
        max(try clock(db), HLC(millis: wallMillis, counter: 0))
    }
}

/// The `records` rows a push's scope checks read, as they were before the push: each
/// record is looked up once however many of its fields the push writes.
private struct RecordRows {
    let db: Database
    let replica: ReplicaStore
    private var known: [RecordKey: RecordRow?] = [:]
    private var select: RawStatement?

    init(db: Database, replica: ReplicaStore) {
        self.db = db
        self.replica = replica
    }

    mutating func row(of key: RecordKey) throws -> RecordRow? {
        if let row = known[key] { return row }
        select = try select ?? RawStatement(db, "SELECT scope, scope2, deleted FROM records WHERE type = ? AND rid = ?")
        let statement = select!
        let found = try statement.step { row in
            row.bind(key.type)
            row.bind(key.id)
        }
        let row = found ? RecordRow(key: key, scope: statement.text(0) ?? "", scope2: statement.text(1), deleted: statement.int64(2) != 0) : nil
        statement.reset()
        known[key] = row
        return row
    }
}
