import Foundation
import SyncModel
import SyncServer
import Testing

/// `tributary-hub org import` input: CSV or JSON, checked with line numbers.
@Suite struct OrgTreeFileTests {
    static let protocolDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Protocol/examples")

    @Test(arguments: ["sample-county.csv", "sample-county.json"])
    func theSampleCountyParses(_ file: String) throws {
        // Given the shipped sample county / When parsed / Then ~300 units under one root
        let text = try String(contentsOf: Self.protocolDirectory.appendingPathComponent(file), encoding: .utf8)
        let units = try OrgTreeFile.parse(text)
        #expect(units.count > 250)
        #expect(units.filter { $0.parentId == nil }.map(\.id) == ["yc"])
    }

    @Test(arguments: [
        ("id,name,kind,parentId\nyc,县,county,\nyc,县,county,\n", "line 3"),
        ("id,name,kind,parentId\nyc,县,county,\na,甲,township,zz\n", "line 3"),
        ("id,name,kind,parentId\na,甲,township,b\nb,乙,township,a\n", "cycle"),
        ("id,name,kind,parentId\nyc,县,planet,\n", "line 2"),
        ("id,name\nyc,县\n", "line 1"),
    ])
    func problemsAreReportedWithTheirLine(_ text: String, _ expected: String) {
        // When a broken tree is parsed / Then the error names the line (or the cycle)
        #expect {
            try OrgTreeFile.parse(text)
        } throws: { error in
            (error as? SyncError)?.message.contains(expected) == true
        }
    }

    @Test func parentsMayAlreadyBeInTheHub() throws {
        // Given a file that adds a unit under an existing one / Then it parses
        let units = try OrgTreeFile.parse(#"[{"id":"yc-t09","name":"新镇","kind":"township","parentId":"yc"}]"#, existing: ["yc"])
        #expect(units.map(\.id) == ["yc-t09"])
    }
}
