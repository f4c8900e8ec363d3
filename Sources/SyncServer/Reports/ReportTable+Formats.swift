import Foundation
import SyncModel

extension ReportTable {
    /// The table as CSV (RFC 4180): a header line of labels, CRLF line ends, fields quoted when
    /// they hold a comma, quote, CR or LF (quotes doubled). With `bom`, a UTF-8 byte order mark
    /// comes first so that spreadsheet programs read Chinese text correctly.
    ///
    /// Text cells that a spreadsheet program would take for a formula — those that begin with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return — get a leading `'` (OWASP's rule against
    /// CSV injection), so a name a station wrote as `=HYPERLINK(…)` opens as that text. Numbers
    /// the report computes (`-3.5` hours) are numbers and stay as they are (SPEC §12).
    public func csv(bom: Bool = false) -> [UInt8] {
        var text = bom ? "\u{FEFF}" : ""
        text += columns.map { Self.csvField(.text($0.label)) }.joined(separator: ",") + "\r\n"
        for row in rows {
            text += row.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    /// One CSV field: text neutralised against formulas, numbers as they are; quoted if needed.
    static func csvField(_ value: ReportValue) -> String {
        let text: String
        switch value {
        case .text(let string): text = neutralised(string)
        case .int, .number, .null: text = value.description
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` with a `'` in front when it begins with a character that makes a spreadsheet
    /// program read a cell as a formula (`=`, `+`, `-`, `@`, tab, carriage return).
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(first) else { return text }
        return "'" + text
    }

    /// The first characters that make a cell a formula in Excel, WPS and LibreOffice.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// The table as pretty JSON (keys in column order).
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// The table as aligned text for a terminal: the title, then columns padded by display
    /// width (CJK characters count two), numbers right-aligned. Control and bidirectional
    /// characters in names are shown escaped (``TerminalText``).
    public func text() -> String {
        let cells = ([columns.map(\.label)] + rows.map { $0.map(\.description) }).map { $0.map { TerminalText.escaped($0) } }
        var widths = columns.map { _ in 0 }
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.displayWidth(cell)) }
        }
        let numeric = columns.indices.map { index in !rows.isEmpty && rows.allSatisfy { $0[index].double != nil || $0[index] == .null } }
        var lines = [TerminalText.escaped(title)]
        for (number, row) in cells.enumerated() {
            let line = row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - Self.displayWidth(cell))
                return numeric[index] && number > 0 ? pad + cell : cell + pad
            }
            lines.append(line.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The columns a string takes in a terminal: East Asian wide characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                width + 2
            case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F:
                width
            default:
                width + 1
            }
        }
    }
}
