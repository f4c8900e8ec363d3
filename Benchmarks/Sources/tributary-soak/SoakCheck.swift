import GRDB

/// The end-of-run checks, read straight from the SQLite files once every process has
/// stopped: nothing a station wrote is missing from the hub (unless the hub refused it),
/// nothing is held twice, and every write the driver saw acknowledged is there.
struct SoakCheck {
    /// A station as the checks see it.
    struct StationFile {
        var name: String
        var database: String
        /// The station's site id, as the `log.site` column stores it.
        var site: Int64
    }

    /// Runs the checks and writes what they found into `figures`: the log counts,
    /// `lost`, `duplicated`, the acknowledged fields checked, and at most 40 problems
    /// (after the problems already there).
    static func run(
        hub: String, stations: [StationFile], acknowledged: [(station: Int, change: ExpectedChange)], into figures: inout SoakFigures
    ) throws {
        var problems: [String] = []
        func problem(_ text: String) {
            if problems.count < 40 { problems.append(text) }
        }
        let hubDB = try open(hub)
        try hubDB.read { db in
            figures.hubLogRows = try Int.fetchOne(db, sql: "SELECT count(*) FROM log") ?? 0
            figures.refusedByHub = try Int.fetchOne(db, sql: "SELECT count(*) FROM hub_refusals") ?? 0
            let doubled = try duplicates(db)
            figures.duplicated += doubled
            if doubled > 0 { problem("the hub's log holds \(doubled) change(s) twice") }
        }
        for station in stations {
            let stationDB = try open(station.database)
            let own = try stationDB.read { db in
                let doubled = try duplicates(db)
                figures.duplicated += doubled
                if doubled > 0 { problem("\(station.name)'s log holds \(doubled) change(s) twice") }
                return try Row.fetchAll(
                    db, sql: "SELECT seq, hlc, type, rid, field, elem, value FROM log WHERE site = ? ORDER BY seq", arguments: [station.site])
            }
            figures.changesWritten += own.count
            try hubDB.read { db in
                let atHub = try db.cachedStatement(sql: "SELECT hlc, type, rid, field, elem, value FROM log WHERE site = ? AND seq = ?")
                let refused = try db.cachedStatement(sql: "SELECT 1 FROM hub_refusals WHERE site = ? AND seq = ?")
                for row in own {
                    let seq: Int64 = row["seq"]
                    if let held = try Row.fetchOne(atHub, arguments: [station.site, seq]) {
                        let same = held["hlc"] as Int64 == row["hlc"] as Int64 && held["type"] as String == row["type"] as String
                            && held["rid"] as String == row["rid"] as String && held["field"] as String == row["field"] as String
                            && held["elem"] as String? == row["elem"] as String? && held["value"] as DatabaseValue == row["value"] as DatabaseValue
                        if !same {
                            figures.lost += 1
                            problem("\(station.name) seq \(seq): the hub holds different content under the same origin")
                        }
                    } else if try Bool.fetchOne(refused, arguments: [station.site, seq]) == nil {
                        figures.lost += 1
                        problem("\(station.name) seq \(seq) (\(row["type"] as String)/\(row["rid"] as String).\(row["field"] as String)) is neither at the hub nor refused")
                    }
                }
            }
        }
        try hubDB.read { db in
            let present = try db.cachedStatement(
                sql: "SELECT 1 FROM log WHERE type = ? AND rid = ? AND field = ? AND elem IS ? AND value IS ? LIMIT 1")
            let refused = try db.cachedStatement(sql: "SELECT 1 FROM hub_refusals WHERE site = ? AND seq = ?")
            var stationDBs: [Int: DatabaseQueue] = [:]
            for (index, change) in acknowledged {
                figures.acknowledgedFieldsChecked += 1
                let arguments: StatementArguments = [change.type, change.id, change.field, change.element, databaseValue(change.value)]
                if try Bool.fetchOne(present, arguments: arguments) != nil { continue }
                // Not at the hub: it must be this station's change, refused by the hub.
                let stationDB = try stationDBs[index] ?? open(stations[index].database)
                stationDBs[index] = stationDB
                let seqs = try stationDB.read { db in
                    try Int64.fetchAll(
                        db, sql: "SELECT seq FROM log WHERE site = ? AND type = ? AND rid = ? AND field = ? AND elem IS ? AND value IS ?",
                        arguments: StatementArguments([stations[index].site]) + arguments)
                }
                if try seqs.contains(where: { try Bool.fetchOne(refused, arguments: [stations[index].site, $0]) != nil }) {
                    figures.acknowledgedFieldsRefusedByHub += 1
                } else {
                    figures.lost += 1
                    problem("\(stations[index].name) wrote \(change) (acknowledged) but the hub holds it nowhere\(seqs.isEmpty ? " and the station's log lacks it" : "")")
                }
            }
        }
        figures.problems += problems
    }

    private static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Changes a log holds more than once: under two origins (site, seq) with the same
    /// content and clock, or twice under one origin.
    private static func duplicates(_ db: Database) throws -> Int {
        let sameContent = try Int.fetchOne(
            db,
            sql: "SELECT count(*) FROM (SELECT 1 FROM log GROUP BY site, hlc, type, rid, field, elem HAVING count(*) > 1)") ?? 0
        let sameOrigin = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM log GROUP BY site, seq HAVING count(*) > 1)") ?? 0
        return sameContent + sameOrigin
    }

    private static func databaseValue(_ value: StoredValue) -> DatabaseValue {
        switch value {
        case .text(let s): s.databaseValue
        case .int(let i): i.databaseValue
        case .real(let d): d.databaseValue
        case .bool(let b): (b ? 1 : 0).databaseValue
        }
    }
}
