import Foundation
import SyncModel

extension ReportBuilder {
    /// A station counts as behind when it has not been in contact for this long.
    static let behindMillis: UInt64 = 24 * 3_600_000

    /// Per station bound to a unit of the subtree: last contact, acknowledged seq, refusals,
    /// open conflicts at the hub in its subtree (concurrent lww heads with differing values,
    /// and delete/edit conflicts), and a status: revoked, never synced, behind (no contact
    /// for over 24 hours), conflicts, or ok.
    func sync() async throws -> ([String], [[ReportValue]]) {
        let (concurrent, deleteEdit) = try await conflictsByUnit()
        let stations = try await db.rows(
            "SELECT \(SQLiteHubStore.stationColumns) FROM stations s WHERE s.org \(OrgIndex.inSubtree) ORDER BY s.org, s.id",
            org.subtreeArguments
        ).map { row in
            HubStation(
                id: row.text(0) ?? "", name: row.text(1) ?? "", org: row.text(2) ?? "",
                site: row.int(3).map { SiteID(rawValue: UInt64(bitPattern: $0)) }, revoked: row.bool(4) ?? false,
                created: UInt64(max(0, row.int(5) ?? 0)), lastContact: row.int(6).map { UInt64(max(0, $0)) },
                acked: UInt64(bitPattern: row.int(7) ?? 0), refusals: Int(row.int(8) ?? 0))
        }
        let table = stations.map { station -> [ReportValue] in
            let path = org.units[station.org]?.path ?? "\u{0}"
            let inScope = { (counts: [String: Int64]) in
                counts.reduce(Int64(0)) { sum, entry in sum + ((self.org.units[entry.key]?.path.hasPrefix(path) ?? false) ? entry.value : 0) }
            }
            let conflicts = inScope(concurrent)
            let deletes = inScope(deleteEdit)
            let sinceHours = station.lastContact.map { Double(Int64(nowMillis) - Int64($0)) / 3_600_000 }
            let status =
                station.revoked ? "revoked"
                : station.lastContact == nil ? "never"
                : nowMillis > station.lastContact! + Self.behindMillis ? "behind"
                : conflicts + deletes > 0 ? "conflicts" : "ok"
            return [
                .text(station.id), .text(station.name), .text(station.org), station.lastContact.map { .text(Self.iso($0)) } ?? .null,
                sinceHours.map(ReportValue.number) ?? .null, .int(Int64(bitPattern: station.acked)), .int(Int64(station.refusals)),
                .int(conflicts), .int(deletes), .text(Labels.text("status.\(status)", language)),
            ]
        }
        return (["station", "stationName", "unit", "lastContact", "hoursSinceContact", "acked", "refusals", "conflicts", "deleteConflicts", "status"], table)
    }

    /// Open conflicts per org unit of the records holding them (a transfer counts in both of
    /// its units): concurrent lww heads whose value differs from the winner's, and writes to a
    /// deleted record made after the delete without seeing it.
    func conflictsByUnit() async throws -> (concurrent: [String: Int64], deleteEdit: [String: Int64]) {
        var concurrent: [String: Int64] = [:]
        for row in try await db.rows(
            """
            SELECT r.scope, r.scope2, f.type, f.field, \(db.dialect.rawValue("f")), f.heads FROM fields f
            JOIN records r ON r.type = f.type AND r.rid = f.rid
            WHERE f.heads IS NOT NULL
            """, [])
        {
            let kind = schema.field(row.text(3) ?? "", of: row.text(2) ?? "")?.kind
            let winner = CanonicalJSON.text(of: db.dialect.fieldValue(row.cells[4], kind))
            let lines = (row.text(5) ?? "").split(separator: "\n")
            let losing = lines.filter { line in
                guard let tab = line.firstIndex(of: "\t") else { return false }
                return Self.normalised(String(line[line.index(after: tab)...]), kind: kind) != winner
            }.count
            guard losing > 0 else { continue }
            for unit in [row.text(0), row.text(1)].compactMap({ $0 }) { concurrent[unit, default: 0] += Int64(losing) }
        }
        var deleteEdit: [String: Int64] = [:]
        for row in try await db.rows(
            """
                SELECT r.scope, r.scope2, count(*) FROM records r
                JOIN fields d ON d.type = r.type AND d.rid = r.rid AND d.field = '_deleted' AND d.elem = ''
                JOIN fields f ON f.type = r.type AND f.rid = r.rid AND f.field != '_deleted'
                WHERE r.deleted = 1 AND (f.hlc > d.hlc OR (f.hlc = d.hlc AND
                    CASE WHEN (f.site < 0) = (d.site < 0) THEN f.site > d.site ELSE f.site < 0 END))
                GROUP BY r.type, r.rid, r.scope, r.scope2
                """, [])
        {
            let count = row.int(2) ?? 0
            for unit in [row.text(0), row.text(1)].compactMap({ $0 }) { deleteEdit[unit, default: 0] += count }
        }
        return (concurrent, deleteEdit)
    }

    /// The canonical JSON of a head's stored JSON text (so `2` and `2.0` of a number agree).
    static func normalised(_ json: String, kind: ValueKind?) -> String {
        guard var value = CanonicalJSON.parseValue(json) else { return json }
        if kind == .number, case .int(let int) = value { value = .number(Double(int)) }
        return CanonicalJSON.text(of: value)
    }

    /// Milliseconds since the epoch as ISO 8601 UTC, to the second.
    static func iso(_ millis: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
