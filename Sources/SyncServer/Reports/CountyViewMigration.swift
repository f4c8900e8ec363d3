import GRDB

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

            // Reports find records by a field's value (a date range, a member's entries, a
            // state) without reading every record of the type. The primary key (type, rid,
            // field, elem) rides along in the index, so the record id comes for free.
            try db.execute(sql: "CREATE INDEX fields_type_field_value ON fields (type, field, value)")
            // Records of one type inside a set of org units (a drill-down), skipping deleted ones.
            try db.execute(sql: "CREATE INDEX records_type_scope ON records (type, scope, deleted)")
        }
    }
}
