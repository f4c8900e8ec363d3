import Foundation
import SyncModel

/// Reads CSV as RFC 4180 writes it and spreadsheet programs save it: fields separated by
/// commas, records by CRLF, LF or CR; a field in double quotes may hold commas, line breaks
/// and doubled quotes (`"A, B"`, `"say ""hi"""`). Unquoted fields are trimmed of spaces and
/// tabs; blank lines are skipped.
enum CSVReader {
    /// One record and the line it starts on (1-based).
    struct Record: Equatable {
        var line: Int
        var cells: [String]
    }

    /// The records of `text`; a quote left open, or text after a closing quote, is refused
    /// naming its line.
    static func records(_ text: String) throws(SyncError) -> [Record] {
        var records: [Record] = []
        var cells: [String] = []
        var cell = String.UnicodeScalarView()
        var quoted = false      // the current cell was quoted
        var inQuotes = false    // between a cell's opening and closing quote
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endCell() {
            let value = String(cell)
            cells.append(quoted ? value : value.trimmingCharacters(in: .spacesAndTabs))
            cell = String.UnicodeScalarView()
            quoted = false
        }
        func endRecord() {
            endCell()
            if cells.count > 1 || !(cells.first ?? "").isEmpty {
                records.append(Record(line: recordLine, cells: cells))
            }
            cells = []
        }

        while let scalar = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" {
                        cell.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    cell.append(scalar)
                    if scalar == "\r" {
                        // CRLF inside quotes is one line break.
                        let next = scalars.next()
                        if next == "\n" { cell.append("\n") } else { pending = next }
                        line += 1
                    } else if scalar == "\n" {
                        line += 1
                    }
                }
                continue
            }
            switch scalar {
            case ",":
                endCell()
            case "\r", "\n":
                if scalar == "\r" {
                    let next = scalars.next()
                    if next != "\n" { pending = next }
                }
                endRecord()
                line += 1
                recordLine = line
            case "\"" where !quoted && String(cell).trimmingCharacters(in: .spacesAndTabs).isEmpty:
                cell = String.UnicodeScalarView()
                quoted = true
                inQuotes = true
                quoteLine = line
            case " ", "\t":
                if !quoted { cell.append(scalar) }
            default:
                if quoted {
                    throw SyncError(.badRequest, "line \(line): text after the closing quote of a field (write a quote inside a quoted field as \"\")")
                }
                cell.append(scalar)
            }
        }
        if inQuotes {
            throw SyncError(.badRequest, "line \(quoteLine): a quoted field is never closed (a \" is missing)")
        }
        endRecord()
        return records
    }
}

extension CharacterSet {
    /// Spaces and tabs (not line breaks), trimmed from unquoted CSV fields.
    static let spacesAndTabs = CharacterSet(charactersIn: " \t")
}
