import CountyWork
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
        ("id,name,kind,parentId\nyc,县\u{0},county,\n", "line 2: the name of unit yc holds the NUL character"),
        (#"[{"id":"yc","name":"县","kind":"county\u0000"}]"#, "the kind of unit yc holds the NUL character"),
    ])
    func problemsAreReportedWithTheirLine(_ text: String, _ expected: String) {
        // When a broken tree is parsed / Then the error names the line (or the cycle)
        #expect {
            try OrgTreeFile.parse(text, schema: CountyWorkSchema.load())
        } throws: { error in
            (error as? SyncError)?.message.contains(expected) == true
        }
    }

    @Test func parentsMayAlreadyBeInTheHub() throws {
        // Given a file that adds a unit under an existing one / Then it parses
        let units = try OrgTreeFile.parse(#"[{"id":"yc-t09","name":"新镇","kind":"township","parentId":"yc"}]"#, existing: ["yc"])
        #expect(units.map(\.id) == ["yc-t09"])
    }

    // MARK: Files as spreadsheet programs save them

    @Test("CRLF line ends with the orgForm column: every unit is read (it used to import none and succeed)")
    func crlfWithOrgForm() throws {
        let text = "id,name,kind,parentId,orgForm\r\nyc,永春县,county,,\r\nyc-t01,桃城镇,township,yc,\r\nyc-t01-c01,留安社区,community,yc-t01,branch\r\n"
        let units = try OrgTreeFile.parse(Array(text.utf8), file: "tree.csv")
        #expect(units.map(\.id) == ["yc", "yc-t01", "yc-t01-c01"])
        #expect(units.last?.orgForm == "branch" && units.last?.parentId == "yc-t01")
    }

    @Test("RFC 4180: quoted fields, commas and doubled quotes in them, a BOM, columns in any order")
    func quotedFields() throws {
        let text = "\u{FEFF}name,id,parentId,kind\r\n\"永春县\",yc,,county\r\n\"桃城镇, 留安\",yc-t01,yc,township\r\n\"\"\"红旗\"\"村\",yc-t01-v1,\"yc-t01\",village"
        let units = try OrgTreeFile.parse(Array(text.utf8), file: "tree.csv")
        #expect(units.map(\.name) == ["永春县", "桃城镇, 留安", "\"红旗\"村"])
        #expect(units.map(\.id) == ["yc", "yc-t01", "yc-t01-v1"] && units[2].parentId == "yc-t01")
    }

    @Test(
        "unknown, missing and repeated columns are refused naming them",
        arguments: [
            ("id,name,kind,parent\nyc,县,county,\n", ["line 1", "unknown column \"parent\"", "missing column parentId"]),
            ("id,name,kind,parentId,orgform\nyc,县,county,,\n", ["unknown column \"orgform\"", "did you mean orgForm?"]),
            ("id,name,kind\nyc,县,county\n", ["missing column parentId"]),
            ("id,name,kind,parentId,\nyc,县,county,,\n", ["an empty column 5"]),
            ("id,name,kind,parentId,id\nyc,县,county,,yc\n", ["the column id is named twice"]),
        ])
    func columns(_ text: String, _ expected: [String]) {
        let error = Self.error { _ = try OrgTreeFile.parse(Array(text.utf8), file: "tree.csv") }
        for part in expected { #expect(error?.contains(part) == true, "\(String(describing: error)) lacks \(part)") }
    }

    @Test(
        "rows with a wrong number of cells, a quote never closed, text after a closing quote: refused naming the line",
        arguments: [
            ("id,name,kind,parentId\r\nyc,县,county,\r\nyc-t01,桃城镇, 留安,township,yc\r\n", "line 3: expected 4 cells"),
            ("id,name,kind,parentId\nyc,县,county,\nyc-t01,\"桃城镇,township,yc\n", "line 3: a quoted field is never closed"),
            ("id,name,kind,parentId\nyc,\"县\"x,county,\n", "line 2: text after the closing quote"),
            ("id,name,kind,parentId\nyc,\"永春\n县\",county,\nyc,县,county,\n", "line 4: unit yc is already defined on line 2"),
        ])
    func rows(_ text: String, _ expected: String) {
        let error = Self.error { _ = try OrgTreeFile.parse(Array(text.utf8), file: "tree.csv") }
        #expect(error?.contains(expected) == true, "\(String(describing: error))")
    }

    @Test("a file with no units is an error unless that is what was meant")
    func emptyFiles() throws {
        for text in ["id,name,kind,parentId\r\n", "id,name,kind,parentId,orgForm", "", "\r\n", "[]"] {
            let error = Self.error { _ = try OrgTreeFile.parse(Array(text.utf8), file: "tree.csv") }
            #expect(error?.contains("nothing was imported") == true, "\(text.debugDescription): \(String(describing: error))")
        }
        #expect(try OrgTreeFile.parse(Array("id,name,kind,parentId\r\n".utf8), file: "tree.csv", allowEmpty: true).isEmpty)
    }

    /// `yc,永春县,county,` and `yc-t01,桃城镇,township,yc` in GBK, as Excel on Chinese Windows saves them.
    static let gbk: [UInt8] = Array("id,name,kind,parentId\r\nyc,".utf8) + [0xD3, 0xC0, 0xB4, 0xBA, 0xCF, 0xD8]
        + Array(",county,\r\nyc-t01,".utf8) + [0xCC, 0xD2, 0xB3, 0xC7, 0xD5, 0xF2] + Array(",township,yc\r\n".utf8)

    @Test("a GBK file is refused saying how to save it as UTF-8, and read right with encoding gbk")
    func gbkFile() throws {
        // When a GBK file is read as UTF-8 / Then it is refused, naming the line, with what to do
        let error = Self.error { _ = try OrgTreeFile.parse(Self.gbk, file: "组织.csv") }
        #expect(error?.contains("组织.csv is not UTF-8 text (line 2") == true, "\(String(describing: error))")
        #expect(error?.contains("CSV UTF-8") == true && error?.contains("--encoding gbk") == true)
        // When it is read as GBK / Then the names are right
        let units = try OrgTreeFile.parse(Self.gbk, file: "组织.csv", encoding: .gbk)
        #expect(units.map(\.name) == ["永春县", "桃城镇"])
        // And UTF-16 (Excel's "Unicode Text") is refused with the same advice
        let utf16: [UInt8] = [0xFF, 0xFE] + "id".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(Self.error { _ = try OrgTreeFile.parse(utf16, file: "组织.txt") }?.contains("UTF-16") == true)
    }

    @Test("JSON: an unknown key is refused naming it")
    func jsonUnknownKey() {
        let error = Self.error { _ = try OrgTreeFile.parse(#"[{"id":"yc","name":"县","kind":"county","parentID":null}]"#) }
        #expect(error?.contains("unknown key \"parentID\"") == true, "\(String(describing: error))")
    }

    /// The message of the SyncError `body` throws, or `nil`.
    static func error(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return (error as? SyncError)?.message
        }
    }
}
