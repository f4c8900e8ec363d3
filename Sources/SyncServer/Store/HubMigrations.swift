import GRDB
import SyncStore

/// The hub's own tables, added to the replica file after the replica's tables.
/// Never edit a migration that has shipped; add a new one.
enum HubMigrations {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("hub-v1") { db in
            // Stations: a token (only its SHA-256 is kept) bound to one org unit and, from its
            // first push on, to one replica site.
            try db.execute(
                sql: """
                    CREATE TABLE stations (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        org TEXT NOT NULL,
                        token_hash TEXT NOT NULL UNIQUE,
                        site INTEGER UNIQUE,
                        revoked INTEGER NOT NULL DEFAULT 0,
                        created INTEGER NOT NULL,
                        last_contact INTEGER
                    ) WITHOUT ROWID
                    """)

            // The org tree with materialised paths (`/yc/yc-t01/yc-t01-c03/`) for scope checks.
            try db.execute(
                sql: """
                    CREATE TABLE org_units (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        parent TEXT,
                        org_form TEXT,
                        path TEXT NOT NULL
                    ) WITHOUT ROWID
                    """)
            try db.execute(sql: "CREATE INDEX org_units_path ON org_units (path)")

            // The highest seq of each site the hub holds durably (applied or refused).
            try db.execute(sql: "CREATE TABLE site_seq (site INTEGER PRIMARY KEY, acked INTEGER NOT NULL)")

            // Records whose org unit changed, at the log position after which the change holds.
            try db.execute(
                sql: """
                    CREATE TABLE moves (
                        pos INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        rid TEXT NOT NULL,
                        old_scope TEXT NOT NULL,
                        old_scope2 TEXT,
                        new_scope TEXT NOT NULL,
                        new_scope2 TEXT
                    )
                    """)
            try db.execute(sql: "CREATE INDEX moves_pos ON moves (pos)")

            // Changes the hub refused, with the reason; they count as acknowledged.
            try db.execute(
                sql: """
                    CREATE TABLE hub_refusals (
                        site INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        code TEXT NOT NULL,
                        message TEXT NOT NULL,
                        PRIMARY KEY (site, seq)
                    ) WITHOUT ROWID
                    """)
        }
        CountyViewMigration.register(&migrator)
        migrator.registerMigration("hub-v2-bundles") { db in
            // The Ed25519 public key a station signs its bundles with, derived from its token
            // when the token is issued (SPEC §13); NULL for tokens issued before bundles.
            try db.execute(sql: "ALTER TABLE stations ADD COLUMN bundle_key TEXT")
            // Where each station stood (its pull cursor and the log epoch of that cursor) when
            // it wrote the last bundle the hub imported: the next `export` continues from there.
            try db.execute(
                sql: """
                    CREATE TABLE bundle_cursors (
                        station TEXT PRIMARY KEY,
                        epoch TEXT,
                        cursor INTEGER,
                        imported INTEGER NOT NULL
                    ) WITHOUT ROWID
                    """)
            // The log epoch (SPEC §14): renewed whenever the file is restored from a backup.
            if try HubEpoch.read(db) == nil { try HubEpoch.key.write(HubEpoch.random(), db) }
        }
        migrator.registerMigration("hub-v3-refusal-records") { db in
            // The record each refused change names, so that a hub bundle can carry the hub's
            // state of it (SPEC §13): the station takes that state in place of its own.
            try db.execute(sql: "ALTER TABLE hub_refusals ADD COLUMN type TEXT")
            try db.execute(sql: "ALTER TABLE hub_refusals ADD COLUMN rid TEXT")
        }
        migrator.registerMigration("hub-v4-compaction-marks") { db in
            // Records that lost log entries to compaction, with the last such position: a pull
            // over it sends the record's state, which holds what the dropped entries decided.
            try db.execute(
                sql: """
                    CREATE TABLE compacted (
                        type TEXT NOT NULL,
                        rid TEXT NOT NULL,
                        pos INTEGER NOT NULL,
                        PRIMARY KEY (type, rid)
                    ) WITHOUT ROWID
                    """)
            try db.execute(sql: "CREATE INDEX compacted_pos ON compacted (pos)")
        }
        migrator.registerMigration("hub-v5-retired-station-tokens") { db in
            // Tokens replaced by `station rotate` (SPEC §10 "Stations and sites"): their hash
            // and bundle key, so that a request or a bundle made with an old token is told
            // that the station has a new one instead of being taken for a stranger's.
            try db.execute(
                sql: """
                    CREATE TABLE retired_station_tokens (
                        token_hash TEXT PRIMARY KEY,
                        bundle_key TEXT,
                        station TEXT NOT NULL,
                        retired INTEGER NOT NULL
                    ) WITHOUT ROWID
                    """)
            try db.execute(sql: "CREATE INDEX retired_station_tokens_key ON retired_station_tokens (bundle_key)")
        }
        SQLiteHubStore.registerSessionsMigration(&migrator)
        migrator.registerMigration("hub-v7-schemas") { db in
            // Every version of the hub's schema, as the JSON document it was applied as
            // (SPEC §9): the newest is the current one, the older ones are what stations
            // weeks offline may still push under. Seeded with the default when the hub opens.
            try db.execute(
                sql: """
                    CREATE TABLE schemas (
                        version INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        document TEXT NOT NULL,
                        applied INTEGER NOT NULL
                    )
                    """)
        }
    }
}
