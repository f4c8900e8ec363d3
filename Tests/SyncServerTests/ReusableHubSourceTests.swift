import Foundation
import Testing

/// SyncServer is a reusable hub (issue 19): no code of it names a county-work record type as a
/// string, outside the county-view reports (``HubReport``, the report builders and the county
/// view's tables), so a hub on another schema needs nothing of county-work.
@Suite struct ReusableHubSourceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The county-view reports, which read county types by name.
    static let countyView = ["Reports/HubReport.swift", "Reports/ReportBuilder", "Reports/CountyViewMigration.swift"]

    @Test func noCountyTypeIsNamedOutsideTheCountyView() throws {
        // Given the county-work schema's type names
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.root.appendingPathComponent("Protocol/schema/county-work.json")))
        let types = try #require(((schema as? [String: Any])?["types"] as? [String: Any])?.keys).sorted()
        #expect(types.contains("member") && types.contains("orgUnit"))
        // When every Swift file of SyncServer outside the county view is read
        let sources = Self.root.appendingPathComponent("Sources/SyncServer")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && !Self.countyView.contains(where: $0.hasPrefix) }
        #expect(files.count > 20)
        var named: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                for type in types where line.contains("\"\(type)\"") { named.append("\(file):\(number + 1): \(type)") }
            }
        }
        // Then none names a county type as a string
        #expect(named.isEmpty, "\(named)")
    }
}
