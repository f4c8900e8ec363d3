import Foundation
import SyncClient
import SyncModel

/// What `status` shows.
struct StatusView: Encodable {
    var path: String
    var site: String
    var org: String
    var name: String?
    var hub: String?
    var lastSync: String?
    var lastSyncMillis: UInt64?
    var outbox: Int
    var refused: Int
    var conflicts: Int
    var records: [String: Int]
    var logCount: Int
    var schema: String

    init(_ status: StationStatus) {
        path = status.path
        site = status.siteID.hex
        org = status.settings.org
        name = status.settings.name
        hub = status.settings.hub?.absoluteString
        lastSyncMillis = status.settings.lastSyncMillis
        lastSync = status.settings.lastSyncMillis.map {
            ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double($0) / 1000))
        }
        outbox = status.outbox
        refused = status.refused
        conflicts = status.conflicts
        records = status.records
        logCount = status.logCount
        schema = status.schema
    }

    func text() -> String {
        let counts = records.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var table = TextTable(header: ["station", (name.map { "\($0) " } ?? "") + "(org unit \(org))"])
        table.maxCellWidth = 100
        table.rows = [
            ["replica", path],
            ["site", site],
            ["schema", schema],
            ["hub", hub ?? "none (offline only)"],
            ["last sync", lastSync ?? "never"],
            ["outbox", "\(outbox) change(s) waiting"],
            ["refused", refused == 0 ? "0" : "\(refused) change(s) refused: see `tributary log`"],
            ["conflicts", conflicts == 0 ? "0" : "\(conflicts) open: see `tributary conflicts`"],
            ["records", counts.isEmpty ? "none" : counts],
        ]
        return table.render()
    }
}
