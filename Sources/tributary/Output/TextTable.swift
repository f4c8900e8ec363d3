import Foundation
import SyncModel

/// A plain text table for people: columns padded to the widest cell, counting CJK
/// characters as two columns so that Chinese names line up.
struct TextTable {
    /// The column titles.
    var header: [String]
    /// The rows, each as many cells as the header.
    var rows: [[String]] = []
    /// The widest a cell is shown; longer cells are cut with `…`.
    var maxCellWidth = 40
    /// The columns (by index) shown whole, never cut: ids and versions people paste into
    /// another command (`get`, `explain`, `resolve --keep`).
    var wholeColumns: Set<Int> = []

    /// The table as lines of text.
    func render() -> String {
        let cells = ([header] + rows).map { row in
            row.enumerated().map { index, cell in Self.cut(cell, to: wholeColumns.contains(index) ? .max : maxCellWidth) }
        }
        var widths = Array(repeating: 0, count: header.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.width(of: cell))
            }
        }
        return cells.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - Self.width(of: cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Columns a string takes on a terminal.
    static func width(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// The cell as shown: one line (line feeds as `⏎`), control and bidirectional characters
    /// escaped (``TerminalText``), cut to `limit` columns.
    static func cut(_ text: String, to limit: Int) -> String {
        let flat = TerminalText.escaped(text.replacingOccurrences(of: "\n", with: "⏎"))
        guard limit < .max, width(of: flat) > limit else { return flat }
        var result = ""
        var used = 0
        for character in flat {
            let w = width(of: String(character))
            if used + w > limit - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }
}
