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
            try ReportFacts.create(db)
        }
        // The facts were first kept by triggers on `fields` and `records`: a dozen statements
        // for each field write of a member, order or time-bank entry, half the hub's ingest
        // time. The hub now refreshes each changed record's facts once per transaction
        // (``ReportFacts/Refresher``), so the triggers go and the facts are rebuilt once.
        migrator.registerMigration("hub-v3-report-facts-refreshed") { db in
            let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rf\\_%' ESCAPE '\\'")
            for name in triggers { try db.execute(sql: "DROP TRIGGER \(name)") }
            for table in ReportFacts.tables {
                try db.execute(sql: "DELETE FROM \(table.name)")
                try db.execute(sql: table.fill(where: ""))
            }
        }
    }
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

    /// Creates the tables, their triggers and indexes, and fills them from the current records.
    static func create(_ db: Database) throws {
        for table in tables {
            let columns = table.columns.map(\.column)
            try db.execute(
                sql: "CREATE TABLE \(table.name) (rid TEXT PRIMARY KEY, scope TEXT, deleted INTEGER NOT NULL DEFAULT 0, \(columns.joined(separator: ", "))) WITHOUT ROWID")
            let fieldList = Set(table.columns.map { "'\($0.field)'" }).sorted().joined(separator: ", ")
            let assignments = table.columns.map {
                "\($0.column) = CASE WHEN new.field = '\($0.field)' THEN \($0.value.replacingOccurrences(of: "value", with: "new.value")) ELSE \($0.column) END"
            }
                .joined(separator: ", ")
            for event in ["INSERT", "UPDATE OF value"] {
                let suffix = event == "INSERT" ? "ins" : "upd"
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table.name)_fields_\(suffix) AFTER \(event) ON fields
                        WHEN new.type = '\(table.type)' AND new.elem = '' AND new.field IN (\(fieldList))
                        BEGIN
                            -- not INSERT OR IGNORE: an outer statement's conflict policy would override it
                            INSERT INTO \(table.name) (rid) SELECT new.rid WHERE NOT EXISTS (SELECT 1 FROM \(table.name) WHERE rid = new.rid);
                            UPDATE \(table.name) SET \(assignments) WHERE rid = new.rid;
                        END
                        """)
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table.name)_records_\(suffix) AFTER \(event == "INSERT" ? "INSERT" : "UPDATE") ON records
                        WHEN new.type = '\(table.type)'
                        BEGIN
                            -- not INSERT OR IGNORE: an outer statement's conflict policy would override it
                            INSERT INTO \(table.name) (rid) SELECT new.rid WHERE NOT EXISTS (SELECT 1 FROM \(table.name) WHERE rid = new.rid);
                            UPDATE \(table.name) SET scope = new.scope, deleted = new.deleted WHERE rid = new.rid;
                        END
                        """)
            }
            try db.execute(
                sql: """
                    CREATE TRIGGER \(table.name)_fields_del AFTER DELETE ON fields
                    WHEN old.type = '\(table.type)' AND old.elem = '' AND old.field IN (\(fieldList))
                    BEGIN
                        UPDATE \(table.name) SET \(table.columns.map { "\($0.column) = CASE WHEN old.field = '\($0.field)' THEN NULL ELSE \($0.column) END" }.joined(separator: ", ")) WHERE rid = old.rid;
                    END
                    """)
            try db.execute(
                sql: """
                    CREATE TRIGGER \(table.name)_records_del AFTER DELETE ON records WHEN old.type = '\(table.type)'
                    BEGIN DELETE FROM \(table.name) WHERE rid = old.rid; END
                    """)
            try db.execute(sql: table.fill(where: ""))
            for (index, columns) in table.indexes.enumerated() {
                try db.execute(sql: "CREATE INDEX \(table.name)_\(index) ON \(table.name) (\(columns))")
            }
        }
    }
}
