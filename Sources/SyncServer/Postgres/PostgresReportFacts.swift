import Foundation
import SyncModel
import PostgresNIO

/// The report facts (``ReportFacts``: `rf_member`, `rf_order`, `rf_hours`) on PostgreSQL,
/// recomputed from `fields` and `records` for the records a transaction changed, as the SQLite
/// hub's refresher does; the reports then read the same narrow tables on both stores.
enum PostgresReportFacts {
    /// Refreshes the facts of `records` (some may no longer exist).
    static func refresh(_ records: Set<RecordKey>, _ tx: PostgresTransaction) async throws {
        for table in ReportFacts.tables {
            let ids = records.filter { $0.type == table.type }.map(\.id).sorted()
            guard !ids.isEmpty else { continue }
            var filled = Set<String>()
            for row in try await tx.rows(PostgresQuery(unsafeSQL: fill(table, where: "r.rid = ANY($1)") + " RETURNING rid", binds: binds(ids))) {
                filled.insert(try row.decode(String.self))
            }
            // The facts of records that no longer have a row go, by key (a scan of the facts
            // table against `records` would cost a county's worth of rows on every push).
            let gone = ids.filter { !filled.contains($0) }
            if !gone.isEmpty {
                try await tx.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(table.name) WHERE rid = ANY($1)", binds: binds(gone)))
            }
        }
    }

    private static func binds(_ ids: [String]) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(ids)
        return binds
    }

    /// The upsert of a facts table's rows of the records matching `condition`. A record's fields
    /// are read in one range of the `fields` key, each kept column picked out by a filtered
    /// aggregate (a field key has one row, so `max` is that row's value), rather than one
    /// look-up per column.
    static func fill(_ table: ReportFacts.Table, where condition: String) -> String {
        let fields = Array(Set(table.columns.map(\.field))).sorted()
        let picks = fields.enumerated().map { index, field in "max(f.value #>> '{}') FILTER (WHERE f.field = '\(field)') AS v\(index)" }
        let selects = table.columns.map { column -> String in
            let text = "w.v\(fields.firstIndex(of: column.field)!)"
            switch column.column {
            case "hours", "rating": return "\(text)::double precision"
            default: return column.value.replacingOccurrences(of: "value", with: text)
            }
        }
        let names = table.columns.map(\.column)
        return """
            INSERT INTO \(table.name) (rid, scope, deleted, \(names.joined(separator: ", ")))
            SELECT r.rid, r.scope, r.deleted, \(selects.joined(separator: ", ")) FROM records r
            CROSS JOIN LATERAL (
                SELECT \(picks.joined(separator: ", ")) FROM fields f
                WHERE f.type = r.type AND f.rid = r.rid AND f.elem = '' AND f.field IN (\(fields.map { "'\($0)'" }.joined(separator: ", ")))
            ) w
            WHERE r.type = '\(table.type)' AND \(condition)
            ON CONFLICT (rid) DO UPDATE SET scope = excluded.scope, deleted = excluded.deleted,
                \(names.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """
    }
}
