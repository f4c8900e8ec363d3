import Foundation
import GRDB

/// One row of a change log as the checks compare it, whichever store it was read from: the
/// origin (site, seq), the clock, the field and a store-neutral form of the value.
struct LogRow: Hashable, Sendable {
    var site: Int64
    var seq: Int64
    var hlc: Int64
    var type: String
    var rid: String
    var field: String
    /// The set element, `""` for none (SQLite stores NULL, PostgreSQL '').
    var elem: String
    /// ``LogFacts/value(text:)``, ``LogFacts/value(number:)``… of the stored value.
    var value: String

    /// The change without its origin and clock: what an acknowledged write left.
    var content: LogContent { LogContent(type: type, rid: rid, field: field, elem: elem, value: value) }
    /// The change without its origin's seq: two rows alike here are one change held twice.
    var sameChange: [String] { [String(site), String(hlc), type, rid, field, elem] }
}

/// A field write, as the CLI acknowledged it or a log holds it.
struct LogContent: Hashable, Sendable {
    var type: String
    var rid: String
    var field: String
    var elem: String
    var value: String
}

/// A change's origin.
struct Origin: Hashable, Sendable {
    var site: Int64
    var seq: Int64
}

/// What the checks read from a log: its rows and (for a hub) the changes it refused.
struct LogFacts: Sendable {
    var rows: [LogRow] = []
    var refusals: Set<Origin> = []

    /// A SQLite log (the hub's file or a station's replica; the same `log` table layout).
    static func sqlite(_ path: String) throws -> LogFacts {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        return try database.read { db in
            var facts = LogFacts()
            for row in try Row.fetchAll(db, sql: "SELECT site, seq, hlc, type, rid, field, elem, value FROM log") {
                facts.rows.append(LogRow(
                    site: row["site"], seq: row["seq"], hlc: row["hlc"], type: row["type"], rid: row["rid"], field: row["field"],
                    elem: row["elem"] ?? "", value: value(row["value"] as DatabaseValue)))
            }
            if try db.tableExists("hub_refusals") {
                for row in try Row.fetchAll(db, sql: "SELECT site, seq FROM hub_refusals") {
                    facts.refusals.insert(Origin(site: row["site"], seq: row["seq"]))
                }
            }
            return facts
        }
    }

    /// The PostgreSQL hub's `log` and `hub_refusals`, read through `psql` as one JSON array each
    /// (64-bit columns as text; a value — canonical JSON, in a `jsonb` or `text` column — as its
    /// JSON type and its text).
    static func postgres(_ cluster: SoakPostgres) async throws -> LogFacts {
        var facts = LogFacts()
        let rows = try await cluster.queryJSON("""
            SELECT coalesce(json_agg(json_build_array(site::text, seq::text, hlc::text, type, rid, field, elem,
                jsonb_typeof(value::jsonb), value::jsonb #>> '{}')), '[]') FROM log
            """)
        for case let row as [Any] in rows {
            guard row.count == 9, let site = Int64(row[0] as? String ?? ""), let seq = Int64(row[1] as? String ?? ""),
                let hlc = Int64(row[2] as? String ?? ""), let type = row[3] as? String, let rid = row[4] as? String,
                let field = row[5] as? String, let elem = row[6] as? String, let kind = row[7] as? String
            else { throw SoakFailure("an unreadable hub log row from PostgreSQL: \(row)") }
            let text = row[8] as? String
            let normal = switch kind {
            case "string": value(text: text ?? "")
            case "number": value(number: text ?? "")
            case "boolean": value(number: text == "true" ? "1" : "0")
            case "null": "null"
            default: "\(kind):\(text ?? "")"
            }
            facts.rows.append(LogRow(site: site, seq: seq, hlc: hlc, type: type, rid: rid, field: field, elem: elem, value: normal))
        }
        let refused = try await cluster.queryJSON(
            "SELECT coalesce(json_agg(json_build_array(site::text, seq::text)), '[]') FROM hub_refusals")
        for case let row as [Any] in refused {
            guard row.count == 2, let site = Int64(row[0] as? String ?? ""), let seq = Int64(row[1] as? String ?? "") else {
                throw SoakFailure("an unreadable hub_refusals row from PostgreSQL: \(row)")
            }
            facts.refusals.insert(Origin(site: site, seq: seq))
        }
        return facts
    }

    /// A text value.
    static func value(text: String) -> String { "t:" + text }

    /// A number (or a boolean as 1/0, as SQLite stores it), the same for `5`, `5.0` and `5.000000`.
    static func value(number: String) -> String {
        if let int = Int64(number) { return "n:\(int)" }
        guard let double = Double(number) else { return "n:" + number }
        if double.rounded() == double, abs(double) < 1e15 { return "n:\(Int64(double))" }
        return "n:\(double)"
    }

    /// A SQLite column value.
    static func value(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "null"
        case .int64(let int): Self.value(number: String(int))
        case .double(let double): Self.value(number: String(double))
        case .string(let text): Self.value(text: text)
        case .blob(let data): "b:" + data.base64EncodedString()
        }
    }

    /// A value the driver expects.
    static func value(_ value: StoredValue) -> String {
        switch value {
        case .text(let text): Self.value(text: text)
        case .int(let int): Self.value(number: String(int))
        case .real(let double): Self.value(number: String(double))
        case .bool(let bool): Self.value(number: bool ? "1" : "0")
        }
    }
}
