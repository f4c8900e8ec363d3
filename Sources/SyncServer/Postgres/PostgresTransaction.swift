import SyncModel
import Foundation
import Logging
import PostgresNIO

/// One transaction on a leased connection, used by one task at a time. Write transactions
/// insert their new log entries as they merge them, under a batch id of their own and not yet
/// numbered; ``commit()`` numbers the batch last, under the `log_head` row lock
/// (``publish()``), then commits (SPEC §10 "Storage").
final class PostgresTransaction: @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// The batch this transaction's unnumbered log entries belong to, and how many it holds.
    private var batch: (id: Int64, count: Int64)?
    /// Moves to record at this transaction's last log position.
    private(set) var pendingMoves: [(record: RecordKey, from: RecordPlace, to: RecordPlace)] = []
    /// The newest clock this transaction merged (the hub's clock receives it at publish).
    var newestClock = HLC.zero
    /// The wall clock of the transaction's request.
    var wallMillis: UInt64 = 0
    /// Whether this transaction wrote something that must be published at commit.
    private var mustPublish = false
    /// The head as read under its lock, once locked (``lockHead()``).
    private(set) var lockedHead: (last: Int64, clock: HLC)?

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Runs a statement, discarding any rows.
    func execute(_ query: PostgresQuery) async throws {
        try await connection.query(query, logger: logger).collect()
    }

    /// Runs a query and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    /// Inserts merged changes into the log, in merge order, in this transaction's batch: they
    /// take their positions when the batch is numbered (``publish()``). Nothing here waits on
    /// another hub process, so concurrent pushes write their log entries side by side.
    func appendLog(_ changes: [Change], newest: HLC) async throws {
        guard !changes.isEmpty else { return }
        if batch == nil {
            let id = try await rows("SELECT nextval('log_batch_ids')").first?.decode(Int64.self) ?? 0
            batch = (id, 0)
        }
        let (id, count) = batch!
        var columns = LogColumns()
        for (offset, change) in changes.enumerated() { columns.add(change, offset: Int32(count) + Int32(offset)) }
        // Never merge a change twice: the site lock and the merge's check of the log make a
        // second entry of one origin unreachable; if it is reached, the transaction fails whole.
        try await PostgresMerge.unique {
            try await execute(
                """
                INSERT INTO log (batch, off, site, seq, hlc, type, rid, scope, field, elem, value, bases)
                SELECT \(id), o, s, q, h, t, r, sc, f, e, v, b FROM unnest(\(columns.offsets), \(columns.sites), \(columns.seqs), \(columns.hlcs),
                    \(columns.types), \(columns.ids), \(columns.scopes), \(columns.fields), \(columns.elements), \(columns.values), \(columns.bases))
                    AS u(o, s, q, h, t, r, sc, f, e, v, b)
                """)
        }
        batch = (id, count + Int64(changes.count))
        newestClock = max(newestClock, newest)
        mustPublish = true
    }

    /// Queues moves, recorded at the last log position this transaction publishes.
    func recordMoves(_ moves: [(record: RecordKey, from: RecordPlace, to: RecordPlace)]) {
        pendingMoves += moves
        if !moves.isEmpty { mustPublish = true }
    }

    /// Takes the `log_head` row lock (held until commit) and reads it. Every write
    /// transaction takes it last of its locks, so no lock cycle can form.
    @discardableResult
    func lockHead() async throws -> (last: Int64, clock: HLC) {
        if let lockedHead { return lockedHead }
        let row = try await rows("SELECT last, clock FROM log_head WHERE id = 1 FOR UPDATE").first
        guard let (last, clock) = try row?.decode((Int64, Int64).self) else {
            throw SyncError(.storeInvalid, "the hub database has no log head; it was not made by tributary-hub")
        }
        let head = (last, HLC(rawValue: UInt64(bitPattern: clock)))
        lockedHead = head
        mustPublish = true
        return head
    }

    /// Sets the hub's clock (held under the head's lock) after the hub's own writes took
    /// values from it; nothing merged in this transaction moves it further.
    func setClock(_ clock: HLC) {
        if let head = lockedHead { lockedHead = (head.last, clock) }
        newestClock = .zero
    }

    /// Numbers this transaction's batch of log entries after the head (one row in
    /// `log_batches`: its entries are at `first + off`), records the moves, and advances the
    /// head and the hub's clock — all under the head's row lock, taken here as the
    /// transaction's last lock and released by its commit. Since a transaction becomes visible
    /// before it releases its locks, a later transaction's positions never become visible
    /// before an earlier one's: the log is commit-ordered (SPEC §10 "Storage"). The entries
    /// themselves were inserted before, outside the lock (``appendLog(_:newest:)``).
    func publish() async throws {
        guard mustPublish else { return }
        if batch != nil, let beforePublish { await beforePublish() }
        let head = try await lockHead()
        let last = head.last + (batch?.count ?? 0)
        if !pendingMoves.isEmpty {
            var types: [String] = [], ids: [String] = []
            var old: [String] = [], old2: [String] = [], old2Null: [Bool] = []
            var new: [String] = [], new2: [String] = [], new2Null: [Bool] = []
            for move in pendingMoves {
                types.append(move.record.type)
                ids.append(move.record.id)
                old.append(move.from.scope)
                old2.append(move.from.scope2 ?? "")
                old2Null.append(move.from.scope2 == nil)
                new.append(move.to.scope)
                new2.append(move.to.scope2 ?? "")
                new2Null.append(move.to.scope2 == nil)
            }
            try await execute(
                """
                INSERT INTO moves (pos, type, rid, old_scope, old_scope2, new_scope, new_scope2)
                SELECT \(last), t, r, o, CASE WHEN o2n THEN NULL ELSE o2 END, n, CASE WHEN n2n THEN NULL ELSE n2 END
                FROM unnest(\(types), \(ids), \(old), \(old2), \(old2Null), \(new), \(new2), \(new2Null)) WITH ORDINALITY
                    AS u(t, r, o, o2, o2n, n, n2, n2n, i) ORDER BY i
                """)
        }
        var clock = HybridLogicalClock(last: head.clock)
        if newestClock > .zero { _ = clock.receive(newestClock, wallMillis: wallMillis) }
        let clockValue = Int64(bitPattern: clock.last.rawValue)
        if let (id, _) = batch {
            // The batch's number and the head in one round trip under the lock.
            try await execute(
                """
                WITH numbered AS (INSERT INTO log_batches (batch, first, last) VALUES (\(id), \(head.last + 1), \(last)))
                UPDATE log_head SET last = \(last), clock = \(clockValue) WHERE id = 1
                """)
        } else {
            try await execute("UPDATE log_head SET last = \(last), clock = \(clockValue) WHERE id = 1")
        }
        lockedHead = (last, clock.last)
        batch = nil
        pendingMoves.removeAll()
        newestClock = .zero
        mustPublish = false
    }

    /// Called before a write transaction publishes (tests hold a transaction open there).
    var beforePublish: (@Sendable () async -> Void)?

    /// Publishes and commits.
    func commit() async throws {
        try await publish()
        try await execute("COMMIT")
    }
}

/// Log entries as column arrays for one `unnest` insert.
struct LogColumns {
    var offsets: [Int32] = []
    var sites: [Int64] = []
    var seqs: [Int64] = []
    var hlcs: [Int64] = []
    var types: [String] = []
    var ids: [String] = []
    var scopes: [String] = []
    var fields: [String] = []
    var elements: [String] = []
    var values: [String] = []
    var bases: [String] = []

    mutating func add(_ change: Change, offset: Int32) {
        offsets.append(offset)
        sites.append(Int64(bitPattern: change.site.rawValue))
        seqs.append(Int64(bitPattern: change.seq))
        hlcs.append(Int64(bitPattern: change.hlc.rawValue))
        types.append(change.type)
        ids.append(change.id)
        scopes.append(change.scope)
        fields.append(change.field)
        elements.append(change.element ?? "")
        values.append(CanonicalJSON.text(of: change.value))
        bases.append(PostgresValues.bases(change.bases))
    }
}
