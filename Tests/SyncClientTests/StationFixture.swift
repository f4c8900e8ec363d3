import CountyWork
import Foundation
import SyncClient
import SyncModel
import SyncStore
import TributaryTestSupport

/// A station bound to township `yc-t01` in a temp-dir file, whose replica also holds (as
/// if received from the hub) the county `yc`, the township `yc-t02` and the community
/// `yc-t01-c01` under `yc-t01`.
struct StationFixture {
    let directory = TemporaryDirectory("station")
    let station: Station
    /// Another replica's site, for changes "received from the hub".
    let peer = SiteID(rawValue: 0xA11C_E000_0000_0001)
    private var peerSeq: UInt64 = 0

    init(org: String = "yc-t01") throws {
        station = try Station.create(at: directory.path("station.db"), org: org, name: "桃城镇")
        try receive(type: "orgUnit", id: "yc", fields: ["name": "永春县", "kind": "county"])
        try receive(type: "orgUnit", id: "yc-t01", fields: ["name": "桃城镇", "kind": "township", "parentId": "yc"])
        try receive(type: "orgUnit", id: "yc-t02", fields: ["name": "五里街镇", "kind": "township", "parentId": "yc"])
        try receive(type: "orgUnit", id: "yc-t01-c01", fields: ["name": "留安社区", "kind": "community", "parentId": "yc-t01"])
    }

    /// Applies writes made by the peer, as a pull from the hub would, and returns them.
    ///
    /// - Parameters:
    ///   - bases: the versions each write overwrote (none: a write concurrent with
    ///     everything this replica holds).
    ///   - aheadMillis: how far ahead of this replica's wall clock the peer's clock runs.
    @discardableResult
    mutating func receive(
        type: String, id: String, fields: [String: FieldValue], scope: String? = nil, bases: [Version] = [],
        aheadMillis: UInt64 = 0
    ) throws -> [Change] {
        let now = station.store.wallClock.nowMillis() + aheadMillis
        var changes: [Change] = []
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            peerSeq += 1
            changes.append(
                Change(
                    site: peer, seq: peerSeq, hlc: HLC(millis: now, counter: UInt16(peerSeq)), type: type, id: id,
                    scope: scope ?? (fields["orgUnitId"]?.stringValue ?? id), field: name, value: value, bases: bases))
        }
        let report = try station.store.apply(changes)
        precondition(report.refused.isEmpty, "\(report.refused)")
        return changes
    }

    /// A valid member of `unit`.
    static func memberFields(_ unit: String = "yc-t01-c01", name: String = "林秀英") -> [String: FieldValue] {
        ["name": .string(name), "orgUnitId": .string(unit), "category": "retired"]
    }
}

/// Runs `body` and returns the ``SyncError`` it throws, or `nil` when it throws none.
func syncError(_ body: () throws -> Void) -> SyncError? {
    do {
        try body()
        return nil
    } catch let error as SyncError {
        return error
    } catch {
        return SyncError(SyncErrorCode(rawValue: "unexpected"), "\(error)")
    }
}
