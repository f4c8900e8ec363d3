import Foundation
package import SyncModel
package import Logging
import PostgresNIO

/// The PostgreSQL hub's tables, as frozen SQL: a migration that has shipped is never edited;
/// a change is a new migration appended to ``all``. `tributary_migrations` records which ran.
///
/// Text keys use the "C" collation, so that (type, id) order is byte order — the canonical
/// order of snapshots and digests, and SQLite's. Field values are `jsonb` holding the
/// canonical JSON of the value (exact: 64-bit integers and six-decimal numbers are `numeric`
/// inside jsonb), read back by the schema's kind of the field, as SQLite's untyped column is.
package enum PostgresMigrations {
    static let all: [(version: Int, name: String, sql: String)] = [
        (
            1, "hub-v1",
            """
            CREATE TABLE meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
            -- The last log position issued and the hub's clock: updated (row-locked) at the end of
            -- every write transaction, which numbers its log entries under that lock.
            CREATE TABLE log_head (id integer PRIMARY KEY CHECK (id = 1), last bigint NOT NULL, clock bigint NOT NULL);
            INSERT INTO log_head (id, last, clock) VALUES (1, 0, 0);
            CREATE TABLE log (
                pos bigint PRIMARY KEY,
                site bigint NOT NULL,
                seq bigint NOT NULL,
                hlc bigint NOT NULL,
                type text COLLATE "C" NOT NULL,
                rid text COLLATE "C" NOT NULL,
                scope text COLLATE "C" NOT NULL,
                field text COLLATE "C" NOT NULL,
                elem text COLLATE "C" NOT NULL DEFAULT '',
                value jsonb NOT NULL,
                bases text NOT NULL DEFAULT '',
                UNIQUE (site, seq)
            );
            CREATE TABLE fields (
                type text COLLATE "C" NOT NULL,
                rid text COLLATE "C" NOT NULL,
                field text COLLATE "C" NOT NULL,
                elem text COLLATE "C" NOT NULL DEFAULT '',
                hlc bigint NOT NULL,
                site bigint NOT NULL,
                value jsonb NOT NULL,
                heads text,
                PRIMARY KEY (type, rid, field, elem)
            );
            CREATE INDEX fields_conflicted ON fields (type, rid) WHERE heads IS NOT NULL;
            CREATE TABLE superseded (
                type text COLLATE "C" NOT NULL,
                rid text COLLATE "C" NOT NULL,
                field text COLLATE "C" NOT NULL,
                hlc bigint NOT NULL,
                site bigint NOT NULL,
                PRIMARY KEY (type, rid, field, hlc, site)
            );
            CREATE TABLE records (
                type text COLLATE "C" NOT NULL,
                rid text COLLATE "C" NOT NULL,
                scope text COLLATE "C" NOT NULL,
                scope2 text COLLATE "C",
                deleted integer NOT NULL DEFAULT 0,
                PRIMARY KEY (type, rid)
            );
            CREATE INDEX records_scope ON records (scope);
            CREATE INDEX records_type_scope ON records (type, scope, deleted);
            CREATE TABLE stations (
                id text COLLATE "C" PRIMARY KEY,
                name text NOT NULL,
                org text COLLATE "C" NOT NULL,
                token_hash text NOT NULL UNIQUE,
                site bigint UNIQUE,
                revoked integer NOT NULL DEFAULT 0,
                created bigint NOT NULL,
                last_contact bigint,
                bundle_key text
            );
            CREATE INDEX stations_bundle_key ON stations (bundle_key);
            CREATE TABLE org_units (
                id text COLLATE "C" PRIMARY KEY,
                name text NOT NULL,
                kind text NOT NULL,
                parent text COLLATE "C",
                org_form text,
                path text COLLATE "C" NOT NULL
            );
            CREATE INDEX org_units_path ON org_units (path);
            CREATE TABLE site_seq (site bigint PRIMARY KEY, acked bigint NOT NULL);
            CREATE TABLE moves (
                id bigserial PRIMARY KEY,
                pos bigint NOT NULL,
                type text COLLATE "C" NOT NULL,
                rid text COLLATE "C" NOT NULL,
                old_scope text COLLATE "C" NOT NULL,
                old_scope2 text COLLATE "C",
                new_scope text COLLATE "C" NOT NULL,
                new_scope2 text COLLATE "C"
            );
            CREATE INDEX moves_pos ON moves (pos);
            CREATE TABLE hub_refusals (
                site bigint NOT NULL,
                seq bigint NOT NULL,
                code text NOT NULL,
                message text NOT NULL,
                type text COLLATE "C",
                rid text COLLATE "C",
                PRIMARY KEY (site, seq)
            );
            CREATE TABLE admin_tokens (
                id text COLLATE "C" PRIMARY KEY,
                name text NOT NULL,
                token_hash text NOT NULL UNIQUE,
                revoked integer NOT NULL DEFAULT 0,
                created bigint NOT NULL
            );
            CREATE TABLE bundle_cursors (
                station text COLLATE "C" PRIMARY KEY,
                epoch text,
                cursor bigint,
                imported bigint NOT NULL
            );
            CREATE TABLE compacted (
                type text COLLATE "C" NOT NULL,
                rid text COLLATE "C" NOT NULL,
                pos bigint NOT NULL,
                PRIMARY KEY (type, rid)
            );
            CREATE INDEX compacted_pos ON compacted (pos);
            -- Report facts (ReportFacts), refreshed in the transaction that changes a record.
            CREATE TABLE rf_member (
                rid text COLLATE "C" PRIMARY KEY, scope text COLLATE "C", deleted integer NOT NULL DEFAULT 0,
                category text COLLATE "C", name text COLLATE "C"
            );
            CREATE INDEX rf_member_0 ON rf_member (scope, deleted, category);
            CREATE TABLE rf_order (
                rid text COLLATE "C" PRIMARY KEY, scope text COLLATE "C", deleted integer NOT NULL DEFAULT 0,
                category text COLLATE "C", state text COLLATE "C", ordered_on text COLLATE "C", done_on text COLLATE "C",
                rating double precision
            );
            CREATE INDEX rf_order_0 ON rf_order (scope, deleted, category, state, ordered_on, done_on, rating);
            CREATE TABLE rf_hours (
                rid text COLLATE "C" PRIMARY KEY, scope text COLLATE "C", deleted integer NOT NULL DEFAULT 0,
                member text COLLATE "C", team text COLLATE "C", date text COLLATE "C", month text COLLATE "C",
                hours double precision
            );
            CREATE INDEX rf_hours_0 ON rf_hours (scope, deleted, month, date, hours);
            CREATE INDEX rf_hours_1 ON rf_hours (member, deleted, date, hours);
            CREATE INDEX rf_hours_2 ON rf_hours (team, deleted, month, date, hours, scope);
            """
        ),
        (
            2, "hub-v2-rotation-sessions-schemas",
            """
            -- Tokens replaced by `station rotate` (SQLite's hub-v5-retired-station-tokens).
            CREATE TABLE retired_station_tokens (
                token_hash text PRIMARY KEY,
                bundle_key text,
                station text COLLATE "C" NOT NULL,
                retired bigint NOT NULL
            );
            CREATE INDEX retired_station_tokens_key ON retired_station_tokens (bundle_key);
            -- Dashboard sessions, shared by every hub process (SQLite's hub-v6-sessions); n orders
            -- a token's sessions from oldest to newest.
            CREATE TABLE dashboard_sessions (
                n bigserial PRIMARY KEY,
                id_hash text NOT NULL UNIQUE,
                token_hash text NOT NULL,
                created bigint NOT NULL,
                expires bigint NOT NULL
            );
            CREATE INDEX dashboard_sessions_token ON dashboard_sessions (token_hash);
            CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires);
            -- Every version of the hub's schema (SQLite's hub-v7-schemas); the newest is current.
            CREATE TABLE schemas (
                version integer PRIMARY KEY,
                name text NOT NULL,
                document text NOT NULL,
                applied bigint NOT NULL
            );
            """
        ),
        (
            3, "hub-v3-log-batches",
            """
            -- Log entries are numbered by batch (SPEC §10 "Storage"): a write transaction inserts
            -- its entries under a batch id taken from log_batch_ids (off = 0, 1, …) before it
            -- takes the log head's lock, and under the lock only records where its batch starts.
            -- An entry's position is first + off; batches are numbered in commit order.
            CREATE SEQUENCE log_batch_ids;
            CREATE TABLE log_batches (batch bigint PRIMARY KEY, first bigint NOT NULL UNIQUE, last bigint NOT NULL UNIQUE);
            ALTER TABLE log ADD COLUMN batch bigint, ADD COLUMN off integer;
            -- Entries numbered before: one batch each (negative ids: the sequence starts at 1).
            UPDATE log SET batch = -pos, off = 0;
            INSERT INTO log_batches (batch, first, last) SELECT -pos, pos, pos FROM log;
            ALTER TABLE log DROP COLUMN pos;
            ALTER TABLE log ALTER COLUMN batch SET NOT NULL, ALTER COLUMN off SET NOT NULL;
            ALTER TABLE log ADD PRIMARY KEY (batch, off);
            -- A log entry's value is only ever read back whole: its canonical JSON text, stored
            -- as text (no jsonb parse on every insert, no print on every pull).
            ALTER TABLE log ALTER COLUMN value TYPE text USING value::text;
            -- Room on each page for a field's or record's next version (HOT updates: the merge
            -- rewrites a field row on nearly every change, its keys never).
            ALTER TABLE fields SET (fillfactor = 85);
            ALTER TABLE records SET (fillfactor = 85)
            """
        ),
    ]

    /// Connects once (bounded by the URL's connect timeout), applies the migrations not yet
    /// applied under an advisory lock (several hub processes may start at once), and returns
    /// the hub's site id, created with its first epoch on a new database, and its current
    /// schema: `seed` is stored as the first version of a hub that holds none yet. Tests stop
    /// `through` an older version to hold a database as an older hub left it.
    package static func migrate(
        _ location: PostgresLocation, seed: Schema?, logger: Logger, through newestVersion: Int = .max
    ) async throws -> (site: SiteID, schema: Schema) {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: location.connectionConfiguration, id: 0, logger: logger)
        } catch {
            throw PostgresErrors.connectFailure(error, location: location)
        }
        defer { Task { try? await connection.close() } }
        do {
            // A statement sent after the server closed the connection is never answered
            // (``PostgresConnectionWatch``).
            return try await PostgresConnectionWatch.shared.run(on: connection) {
                try await apply(PostgresTransaction(connection: connection, logger: logger), location: location, seed: seed, through: newestVersion)
            }
        } catch {
            throw PostgresErrors.map(error)
        }
    }

    /// Applies the migrations not yet applied in one transaction on `tx` and returns the hub's
    /// site id and current schema (``migrate(_:seed:logger:through:)``).
    private static func apply(
        _ tx: PostgresTransaction, location: PostgresLocation, seed: Schema?, through newestVersion: Int
    ) async throws -> (site: SiteID, schema: Schema) {
        try await tx.execute("BEGIN")
        try await tx.execute("SELECT pg_advisory_xact_lock(7316201)")
        try await tx.execute("CREATE TABLE IF NOT EXISTS tributary_migrations (version integer PRIMARY KEY, name text NOT NULL, applied bigint NOT NULL)")
        let foreign = try await tx.rows(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('log', 'fields', 'records')"
        ).first?.decode(Int64.self) ?? 0
        var applied = Set<Int>()
        for row in try await tx.rows("SELECT version FROM tributary_migrations") { applied.insert(Int(try row.decode(Int32.self))) }
        if applied.isEmpty, foreign > 0 {
            try? await tx.execute("ROLLBACK")
            throw SyncError(
                .storeInvalid, "the database \(location.database) holds tables of something else (no Tributary migrations); give the hub a database of its own")
        }
        if let newest = applied.max(), newest > all.last!.version {
            try? await tx.execute("ROLLBACK")
            throw SyncError(
                .storeInvalid, "the database \(location.database) was migrated by a newer tributary-hub (version \(newest)); upgrade this one")
        }
        for migration in all where !applied.contains(migration.version) && migration.version <= newestVersion {
            // One statement at a time (the extended protocol takes one per query).
            for statement in migration.sql.components(separatedBy: ";\n") {
                let lines = statement.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
                let sql = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if !sql.isEmpty { try await tx.execute(PostgresQuery(unsafeSQL: sql)) }
            }
            try await tx.execute(
                "INSERT INTO tributary_migrations (version, name, applied) VALUES (\(migration.version), \(migration.name), \(Int64(WallClock.system.nowMillis())))")
        }
        var site = try await tx.rows("SELECT value FROM meta WHERE key = 'site_id'").first.map { try $0.decode(String.self) }
        if site == nil {
            let fresh = SiteID.random()
            try await tx.execute("INSERT INTO meta (key, value) VALUES ('site_id', \(fresh.hex)), ('log_epoch', \(HubEpoch.random()))")
            site = fresh.hex
        }
        if let seed {
            let document = String(decoding: try JSONEncoder().encode(seed), as: UTF8.self)
            try await tx.execute(
                """
                INSERT INTO schemas (version, name, document, applied)
                SELECT \(seed.version), \(seed.name), \(document), \(Int64(WallClock.system.nowMillis()))
                WHERE NOT EXISTS (SELECT 1 FROM schemas)
                """)
        }
        guard let current = try await PostgresHubStore.schemaHistory(tx).last else {
            try? await tx.execute("ROLLBACK")
            throw SyncError(
                .storeInvalid,
                "the hub database \(location.database) holds no schema and none was given: create the hub with tributary-hub (or give the hub's configuration a schema)")
        }
        try await tx.execute("COMMIT")
        guard let text = site, let id = SiteID(hex: text) else {
            throw SyncError(.storeInvalid, "the hub database's site id is damaged")
        }
        return (id, current)
    }
}
