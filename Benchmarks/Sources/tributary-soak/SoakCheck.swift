/// The end-of-run checks, once every process has stopped, over what was read from the
/// hub's log (SQLite file or PostgreSQL database: ``LogFacts``) and the stations' replicas:
/// nothing a station wrote is missing from the hub (unless the hub refused it), nothing is
/// held twice, and every write the driver saw acknowledged is there.
struct SoakCheck {
    /// A station as the checks see it.
    struct Station {
        var name: String
        /// The station's site id, as the `log.site` column stores it.
        var site: Int64
        /// Its replica's log.
        var log: LogFacts
    }

    /// Runs the checks and writes what they found into `figures`: the log counts,
    /// `lost`, `duplicated`, the acknowledged fields checked, and at most 40 problems
    /// (after the problems already there).
    static func run(
        hub: LogFacts, stations: [Station], acknowledged: [(station: Int, change: ExpectedChange)], into figures: inout SoakFigures
    ) {
        var problems: [String] = []
        func problem(_ text: String) {
            if problems.count < 40 { problems.append(text) }
        }
        figures.hubLogRows = hub.rows.count
        figures.refusedByHub = hub.refusals.count
        let hubDoubled = duplicates(hub.rows)
        figures.duplicated += hubDoubled
        if hubDoubled > 0 { problem("the hub's log holds \(hubDoubled) change(s) twice") }
        var atHub: [Origin: LogRow] = [:]
        for row in hub.rows { atHub[Origin(site: row.site, seq: row.seq)] = row }

        for station in stations {
            let doubled = duplicates(station.log.rows)
            figures.duplicated += doubled
            if doubled > 0 { problem("\(station.name)'s log holds \(doubled) change(s) twice") }
            let own = station.log.rows.filter { $0.site == station.site }
            figures.changesWritten += own.count
            for row in own {
                let origin = Origin(site: row.site, seq: row.seq)
                if let held = atHub[origin] {
                    if held != row {
                        figures.lost += 1
                        problem("\(station.name) seq \(row.seq): the hub holds different content under the same origin")
                    }
                } else if !hub.refusals.contains(origin) {
                    figures.lost += 1
                    problem("\(station.name) seq \(row.seq) (\(row.type)/\(row.rid).\(row.field)) is neither at the hub nor refused")
                }
            }
        }

        let present = Set(hub.rows.map(\.content))
        for (index, change) in acknowledged {
            figures.acknowledgedFieldsChecked += 1
            let content = LogContent(
                type: change.type, rid: change.id, field: change.field, elem: change.element ?? "", value: LogFacts.value(change.value))
            if present.contains(content) { continue }
            // Not at the hub: it must be this station's change, refused by the hub.
            let station = stations[index]
            let seqs = station.log.rows.filter { $0.site == station.site && $0.content == content }.map(\.seq)
            if seqs.contains(where: { hub.refusals.contains(Origin(site: station.site, seq: $0)) }) {
                figures.acknowledgedFieldsRefusedByHub += 1
            } else {
                figures.lost += 1
                problem("\(station.name) wrote \(change) (acknowledged) but the hub holds it nowhere\(seqs.isEmpty ? " and the station's log lacks it" : "")")
            }
        }
        figures.problems += problems
    }

    /// Changes a log holds more than once: under two origins (site, seq) with the same
    /// content and clock, or twice under one origin.
    private static func duplicates(_ rows: [LogRow]) -> Int {
        var sameContent: [[String]: Int] = [:]
        var sameOrigin: [Origin: Int] = [:]
        for row in rows {
            sameContent[row.sameChange, default: 0] += 1
            sameOrigin[Origin(site: row.site, seq: row.seq), default: 0] += 1
        }
        return sameContent.values.filter { $0 > 1 }.count + sameOrigin.values.filter { $0 > 1 }.count
    }
}
