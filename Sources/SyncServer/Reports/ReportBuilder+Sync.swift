import Foundation
import GRDB
import SyncModel

extension ReportBuilder {
    /// A station counts as behind when it has not been in contact for this long.
    static let behindMillis: UInt64 = 24 * 3_600_000

    /// Per station bound to a unit of the subtree: last contact, acknowledged seq, refusals,
    /// open conflicts at the hub in its subtree (concurrent lww heads with differing values,
    /// and delete/edit conflicts), and a status: revoked, never synced, behind (no contact
    /// for over 24 hours), conflicts, or ok.
    func sync() throws -> ([String], [[ReportValue]]) {
        let (concurrent, deleteEdit) = try conflictsByUnit()
        let stations = try Row.fetchAll(
            db, sql: "SELECT \(SQLiteHubStore.stationColumns) FROM stations s WHERE s.org \(OrgIndex.inSubtree) ORDER BY s.org, s.id",
            arguments: org.subtreeArguments
        ).map(SQLiteHubStore.station)
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
    func conflictsByUnit() throws -> (concurrent: [String: Int64], deleteEdit: [String: Int64]) {
        var concurrent: [String: Int64] = [:]
        let heads = try Row.fetchCursor(
            db, sql: """
                SELECT r.scope, r.scope2, f.type, f.field, f.value, f.heads FROM fields f
                JOIN records r ON r.type = f.type AND r.rid = f.rid
                WHERE f.heads IS NOT NULL
                """)
        while let row = try heads.next() {
            let kind = schema.field(row[3], of: row[2])?.kind
            let winner = CanonicalJSON.text(of: Self.fieldValue(row[4], kind: kind))
            let lines = (row[5] as String? ?? "").split(separator: "\n")
            let losing = lines.filter { line in
                guard let tab = line.firstIndex(of: "\t") else { return false }
                return Self.normalised(String(line[line.index(after: tab)...]), kind: kind) != winner
            }.count
            guard losing > 0 else { continue }
            for unit in [row[0], row[1]].compactMap({ $0 as String? }) { concurrent[unit, default: 0] += Int64(losing) }
        }
        var deleteEdit: [String: Int64] = [:]
        let deletes = try Row.fetchCursor(
            db, sql: """
                SELECT r.scope, r.scope2, count(*) FROM records r
                JOIN fields d ON d.type = r.type AND d.rid = r.rid AND d.field = '_deleted' AND d.elem = ''
                JOIN fields f ON f.type = r.type AND f.rid = r.rid AND f.field != '_deleted'
                WHERE r.deleted = 1 AND (f.hlc > d.hlc OR (f.hlc = d.hlc AND
                    CASE WHEN (f.site < 0) = (d.site < 0) THEN f.site > d.site ELSE f.site < 0 END))
                GROUP BY r.type, r.rid
                """)
        while let row = try deletes.next() {
            let count: Int64 = row[2]
            for unit in [row[0], row[1]].compactMap({ $0 as String? }) { deleteEdit[unit, default: 0] += count }
        }
        return (concurrent, deleteEdit)
    }

    /// A stored winner value read back by the field's kind.
    static func fieldValue(_ value: DatabaseValue, kind: ValueKind?) -> FieldValue {
        switch value.storage {
        case .null: return .null
        case .int64(let int): return kind == .bool ? .bool(int != 0) : kind == .number ? .number(Double(int)) : .int(int)
        case .double(let double): return .number(double)
        case .string(let string): return .string(string)
        case .blob: return .null
        }
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
