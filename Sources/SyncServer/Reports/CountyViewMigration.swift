import Foundation
import GRDB
import SyncModel
import SyncStore

/// The tables and indexes of the county view (reports and dashboard), added after the hub's
/// own tables. Never edit a migration that has shipped; add a new one.
enum CountyViewMigration {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("hub-v2-county-view") { db in
            // Admin tokens for reports and the dashboard: only the SHA-256 is kept, as for stations.
            try db.execute(
                sql: """
                    CREATE TABLE admin_tokens (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        token_hash TEXT NOT NULL UNIQUE,
                        revoked INTEGER NOT NULL DEFAULT 0,
                        created INTEGER NOT NULL
                    ) WITHOUT ROWID
                    """)

            // Records of one type inside a set of org units (a drill-down), skipping deleted ones.
            try db.execute(sql: "CREATE INDEX records_type_scope ON records (type, scope, deleted)")
            // (As shipped, this migration also kept the facts by triggers, which v3 drops at
            // once; they are no longer created, as every binary that runs v2 runs v3 next.)
            for statement in createV2 { try db.execute(sql: statement) }
        }
        // The facts were first kept by triggers on `fields` and `records`: a dozen statements
        // for each field write of a member, order or time-bank entry, half the hub's ingest
        // time. The hub now refreshes each changed record's facts once per transaction
        // (``ReportFacts/Refresher``), so the triggers go and the facts are rebuilt once.
        migrator.registerMigration("hub-v3-report-facts-refreshed") { db in
            let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rf\\_%' ESCAPE '\\'")
            for name in triggers { try db.execute(sql: "DROP TRIGGER \(name)") }
            for table in ["rf_member", "rf_order", "rf_hours"] { try db.execute(sql: "DELETE FROM \(table)") }
            for statement in fillV3 { try db.execute(sql: statement) }
        }
    }

    /// The facts tables and indexes as `hub-v2-county-view` created them, frozen: a shipped
    /// migration never follows the live ``ReportFacts/tables`` (a later migration changes them).
    static let createV2 = [
        "CREATE TABLE rf_member (rid TEXT PRIMARY KEY, scope TEXT, deleted INTEGER NOT NULL DEFAULT 0, category, name) WITHOUT ROWID",
        "CREATE INDEX rf_member_0 ON rf_member (scope, deleted, category)",
        "CREATE TABLE rf_order (rid TEXT PRIMARY KEY, scope TEXT, deleted INTEGER NOT NULL DEFAULT 0, category, state, ordered_on, done_on, rating) WITHOUT ROWID",
        "CREATE INDEX rf_order_0 ON rf_order (scope, deleted, category, state, ordered_on, done_on, rating)",
        "CREATE TABLE rf_hours (rid TEXT PRIMARY KEY, scope TEXT, deleted INTEGER NOT NULL DEFAULT 0, member, team, date, month, hours) WITHOUT ROWID",
        "CREATE INDEX rf_hours_0 ON rf_hours (scope, deleted, month, date, hours)",
        "CREATE INDEX rf_hours_1 ON rf_hours (member, deleted, date, hours)",
        "CREATE INDEX rf_hours_2 ON rf_hours (team, deleted, month, date, hours, scope)",
    ]

    /// How `hub-v3-report-facts-refreshed` filled the facts from the records, frozen likewise.
    static let fillV3 = [
        """
        INSERT OR REPLACE INTO rf_member (rid, scope, deleted, category, name)
        SELECT r.rid, r.scope, r.deleted, (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'category' AND f.elem = ''), (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'name' AND f.elem = '')
        FROM records r WHERE r.type = 'member'
        """,
        """
        INSERT OR REPLACE INTO rf_order (rid, scope, deleted, category, state, ordered_on, done_on, rating)
        SELECT r.rid, r.scope, r.deleted, (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'category' AND f.elem = ''), (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'state' AND f.elem = ''), (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'orderedOn' AND f.elem = ''), (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'doneOn' AND f.elem = ''), (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'rating' AND f.elem = '')
        FROM records r WHERE r.type = 'serviceOrder'
        """,
        """
        INSERT OR REPLACE INTO rf_hours (rid, scope, deleted, member, team, date, month, hours)
        SELECT r.rid, r.scope, r.deleted, (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'memberId' AND f.elem = ''), (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'teamId' AND f.elem = ''), (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'date' AND f.elem = ''), (SELECT substr(value, 1, 7) FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'date' AND f.elem = ''), (SELECT value FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = 'hours' AND f.elem = '')
        FROM records r WHERE r.type = 'volunteerHours'
        """,
    ]
}

/// Report facts: one narrow row per member, service order and time-bank entry, holding just
/// what the reports group and sum by, kept in step with the replica's `fields` and `records`
/// by the ``Refresher`` that every write path of the replica (pushes, the hub's own writes)
/// calls in the same transaction. A report over 100k entries then scans one compact index
/// instead of looking up several field rows per record.
enum ReportFacts {
    /// A facts table: the record type, its table, and the fields it keeps (field → column).
    struct Table {
        var type: String
        var name: String
        var columns: [(field: String, column: String, value: String)]
        var indexes: [String]

        /// `INSERT OR REPLACE` of the facts of this type's records that match `condition`
        /// (an SQL condition on `records r`, or empty for all), computed from their fields.
        func fill(where condition: String) -> String {
            let selects = columns.map {
                "(SELECT \($0.value) FROM fields f WHERE f.type = r.type AND f.rid = r.rid AND f.field = '\($0.field)' AND f.elem = '')"
            }
            return """
                INSERT OR REPLACE INTO \(name) (rid, scope, deleted, \(columns.map(\.column).joined(separator: ", ")))
                SELECT r.rid, r.scope, r.deleted, \(selects.joined(separator: ", ")) FROM records r
                WHERE r.type = '\(type)'\(condition.isEmpty ? "" : " AND \(condition)")
                """
        }
    }

    /// Recomputes the facts of changed records, once per record per transaction.
    struct Refresher: DerivedTables {
        func refresh(_ records: Set<RecordKey>, _ db: Database) throws {
            for table in ReportFacts.tables {
                var fill: RawStatement?
                var drop: RawStatement?
                for record in records where record.type == table.type {
                    fill = try fill ?? RawStatement(db, table.fill(where: "r.rid = ?"))
                    let filled = try fill!.execute { $0.bind(record.id) }
                    if filled == 0 {
                        drop = try drop ?? RawStatement(db, "DELETE FROM \(table.name) WHERE rid = ?")
                        try drop!.execute { $0.bind(record.id) }
                    }
                }
            }
        }
    }

    /// The facts the ``Refresher`` keeps. Changing them needs a new migration (the shipped
    /// ones are frozen); `ReportFactsMigrationTests` holds a new hub's tables equal to these.
    static let tables = [
        Table(type: "member", name: "rf_member", columns: [("category", "category", "value"), ("name", "name", "value")],
            indexes: ["scope, deleted, category"]),
        Table(
            type: "serviceOrder", name: "rf_order",
            columns: [
                ("category", "category", "value"), ("state", "state", "value"), ("orderedOn", "ordered_on", "value"),
                ("doneOn", "done_on", "value"), ("rating", "rating", "value"),
            ],
            indexes: ["scope, deleted, category, state, ordered_on, done_on, rating"]),
        Table(
            type: "volunteerHours", name: "rf_hours",
            // `month` is a plain column (not a generated one) so that indexes on it cover the reports.
            columns: [
                ("memberId", "member", "value"), ("teamId", "team", "value"), ("date", "date", "value"),
                ("date", "month", "substr(value, 1, 7)"), ("hours", "hours", "value"),
            ],
            indexes: ["scope, deleted, month, date, hours", "member, deleted, date, hours", "team, deleted, month, date, hours, scope"]),
    ]
}
