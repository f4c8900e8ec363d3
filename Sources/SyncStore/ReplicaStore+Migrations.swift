import GRDB

extension ReplicaStore {
    /// The replica's tables. Never edit a migration that has shipped; add a new one.
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("replica-v1") { db in
            // Small named values: site id, clock, cursors.
            try db.execute(sql: "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")

            // The append-only change log, in the order this replica received the changes.
            // `pos` is the local log position (the hub's pull cursor). Values are stored
            // natively (NULL, INTEGER, REAL, TEXT; booleans as 0/1) and read back by the
            // schema's kind of the field.
            try db.execute(
                sql: """
                    CREATE TABLE log (
                        pos INTEGER PRIMARY KEY AUTOINCREMENT,
                        site INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        hlc INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        rid TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        field TEXT NOT NULL,
                        elem TEXT,
                        value,
                        bases TEXT,
                        UNIQUE (site, seq)
                    )
                    """)

            // The merged state of each field key: the winner in columns, the other heads of
            // an lww field (only while there is a conflict) as lines `<version>\t<json>`.
            try db.execute(
                sql: """
                    CREATE TABLE fields (
                        type TEXT NOT NULL,
                        rid TEXT NOT NULL,
                        field TEXT NOT NULL,
                        elem TEXT NOT NULL DEFAULT '',
                        hlc INTEGER NOT NULL,
                        site INTEGER NOT NULL,
                        value,
                        heads TEXT,
                        PRIMARY KEY (type, rid, field, elem)
                    ) WITHOUT ROWID
                    """)
            try db.execute(sql: "CREATE INDEX fields_conflicted ON fields (type, rid) WHERE heads IS NOT NULL")

            // Versions of lww writes that some known write lists as a base: such a write is
            // never a head again, even if it (or a duplicate) arrives late or after compaction.
            try db.execute(
                sql: """
                    CREATE TABLE superseded (
                        type TEXT NOT NULL,
                        rid TEXT NOT NULL,
                        field TEXT NOT NULL,
                        hlc INTEGER NOT NULL,
                        site INTEGER NOT NULL,
                        PRIMARY KEY (type, rid, field, hlc, site)
                    ) WITHOUT ROWID
                    """)

            // One row per record: its org unit (the scope field's winner), any further scope
            // (a transfer's destination) and whether it is deleted.
            try db.execute(
                sql: """
                    CREATE TABLE records (
                        type TEXT NOT NULL,
                        rid TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        scope2 TEXT,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (type, rid)
                    ) WITHOUT ROWID
                    """)
            try db.execute(sql: "CREATE INDEX records_scope ON records (scope)")

            // Local changes the hub refused: kept with the reason, taken out of the merge.
            try db.execute(
                sql: """
                    CREATE TABLE refusals (
                        site INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        code TEXT NOT NULL,
                        message TEXT NOT NULL,
                        PRIMARY KEY (site, seq)
                    ) WITHOUT ROWID
                    """)
        }
    }
}
