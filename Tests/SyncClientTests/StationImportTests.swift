import SyncClient
import SyncModel
import SyncStore
import Testing

@Suite("Station: import")
struct StationImportTests {
    static func members(_ count: Int, unit: String = "yc-t01-c01") -> [RecordWrite] {
        (1...count).map { RecordWrite(type: "member", id: "m-\($0)", fields: StationFixture.memberFields(unit, name: "成员\($0)")) }
    }

    @Test("import writes every record in one transaction and reports progress")
    func importsAll() throws {
        // Given 250 members to import
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        var pending = Self.members(250)[...]
        var reported: [Int] = []

        // When they are imported, reporting every 100
        let report = try station.importRecords(progressEvery: 100, progress: { reported.append($0.records) }) {
            pending.popFirst()
        }

        // Then all are there, with one change per field
        #expect(report.records == 250 && report.written == 250 && report.changes == 750)
        #expect(reported == [100, 200])
        #expect(try station.list(type: "member").count == 250)
        #expect(try station.store.outboxCount() == 750)
    }

    @Test("a refused record aborts the whole import, naming the record; nothing is written")
    func allOrNothing() throws {
        // Given 50 good members and, as the 51st, one outside the station's scope
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        var pending = (Self.members(50) + Self.members(1, unit: "yc-t02").map {
            var write = $0
            write.id = "m-outside"
            return write
        })[...]
        let logBefore = try station.status().logCount

        // When they are imported
        let error = syncError { try station.importRecords { pending.popFirst() } }

        // Then the import is refused and the replica is as before
        #expect(error?.code == .outOfScope)
        #expect(error?.message.hasPrefix("record 51 (member):") == true)
        #expect(try station.list(type: "member").isEmpty)
        #expect(try station.status().logCount == logBefore)
        #expect(try station.store.outboxCount() == 0)
    }

    @Test("a record repeated in an import is written once")
    func repeatedRecord() throws {
        let fixture = try StationFixture()
        defer { withExtendedLifetime(fixture) {} }
        let station = fixture.station
        var pending = (Self.members(3) + Self.members(3))[...]
        let report = try station.importRecords { pending.popFirst() }
        #expect(report.records == 6 && report.written == 3 && report.changes == 9)
    }
}
