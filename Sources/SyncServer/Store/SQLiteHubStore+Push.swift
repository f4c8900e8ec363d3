public import SyncModel
import SyncStore
import GRDB
import HTTPTypes

extension SQLiteHubStore {
    public func push(_ changes: [Change], from station: HubStation, context: ValidationContext) async throws -> PushResponse {
        try PushCheck.check(changes, schema: schema, context: context)
        let contact = now
        let answer = try await pushes.run(size: changes.count) { db in
            try self.apply(changes, from: station, context: context, contact: contact, db)
        }
        health.succeeded()
        return answer
    }

    /// Applies one push inside its group's transaction (see ``GroupCommit``).
    private func apply(_ changes: [Change], from station: HubStation, context: ValidationContext, contact: UInt64, _ db: Database) throws
        -> PushResponse
    {
        let scope = try Self.scope(of: station.org, db)
        let unbound = try changes.first.map { try checkSite($0.site, of: station, db) } ?? false
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
        var rows = RecordRows(db: db, replica: replica)
        var before: [RecordKey: RecordRow] = [:]
        for change in changes {
            if change.seq <= acked {
                duplicates += 1
                // A station resends what it never heard answered: a change refused the
                // first time is refused again, or the station would keep it as accepted.
                if let refusal = try storedRefusal(of: change, db) { refused.append(refusal) }
                continue
            }
            let row = try rows.row(of: change.record)
            if let error = PushCheck.scopeRefusal(change, row: row.map { ($0.scope, $0.scope2) }, scope: scope, schema: schema) {
                refused.append(PushRefusal(seq: change.seq, code: error.code, message: error.message))
                continue
            }
            if let row, before[row.key] == nil, movesScope(change) { before[row.key] = row }
            accepted.append(change)
        }
        let report = try replica.apply(accepted, context: context, db)
        duplicates += report.duplicates.count
        refused += report.refused.map { PushRefusal(seq: $0.origin.seq, code: $0.error.code, message: $0.error.message) }
        if unbound, let first = changes.first {
            // A push of which nothing was applied does not bind the token to its site, nor
            // record its seqs: refused changes cannot claim a site (SPEC §10, §15).
            guard report.applied.count > 0 || duplicates > 0 else {
                try Self.touch(station, at: contact, db)
                return PushResponse(
                    acked: changes.last?.seq ?? 0, applied: 0, duplicates: 0, refused: refused.sorted { $0.seq < $1.seq }, hubClock: try Self.clock(db))
            }
            try db.execute(sql: "UPDATE stations SET site = ? WHERE id = ?", arguments: [Int64(bitPattern: first.site.rawValue), station.id])
        }
        try recordRefusals(refused, site: site, db)
        try recordMoves(before, db)
        if let last = changes.last, last.seq > acked {
            try db.cachedStatement(
                sql: "INSERT INTO site_seq (site, acked) VALUES (?, ?) ON CONFLICT (site) DO UPDATE SET acked = excluded.acked"
            ).execute(arguments: [Int64(bitPattern: last.site.rawValue), Int64(bitPattern: last.seq)])
        }
        try Self.touch(station, at: contact, db)
        return PushResponse(
            acked: max(acked, changes.last?.seq ?? 0), applied: report.applied.count, duplicates: duplicates,
            refused: refused.sorted { $0.seq < $1.seq }, hubClock: try Self.clock(db))
    }

    /// Whether a change writes a field that decides the record's org units.
    private func movesScope(_ change: Change) -> Bool {
        guard change.element == nil, let recordType = schema.types[change.type] else { return false }
        return change.field == recordType.scopeField || recordType.alsoScopeFields.first == change.field
    }

    /// Refuses a site that is not the station's own; `true` when the station is not bound to a
    /// site yet (it is bound once something of its push is applied).
    private func checkSite(_ site: SiteID, of station: HubStation, _ db: Database) throws -> Bool {
        let bound = try Int64.fetchOne(db.cachedStatement(sql: "SELECT site FROM stations WHERE id = ?"), arguments: [station.id])
        if let bound {
            guard UInt64(bitPattern: bound) == site.rawValue else {
                throw SyncError(
                    .wrongSite,
                    "station \(station.id) pushes as site \(SiteID(rawValue: UInt64(bitPattern: bound))), not \(site); a reset replica needs a new station token")
            }
            return false
        }
        let taken = try Bool.fetchOne(db, sql: "SELECT 1 FROM stations WHERE site = ?", arguments: [Int64(bitPattern: site.rawValue)]) != nil
        guard !taken, site != siteID,
            try Bool.fetchOne(db, sql: "SELECT 1 FROM site_seq WHERE site = ?", arguments: [Int64(bitPattern: site.rawValue)]) == nil
        else {
            throw SyncError(.wrongSite, "site \(site) belongs to another replica; a station pushes only its own changes")
        }
        return true
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

    private func recordRefusals(_ refused: [PushRefusal], site: SiteID?, _ db: Database) throws {
        guard let site, !refused.isEmpty else { return }
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO hub_refusals (site, seq, code, message) VALUES (?, ?, ?, ?)")
        for refusal in refused {
            try insert.execute(arguments: [Int64(bitPattern: site.rawValue), Int64(bitPattern: refusal.seq), refusal.code.rawValue, refusal.message])
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
