/// Text written by stations (names, ids, values, refusal messages) made safe to show on a
/// terminal: the one function every text output of `tributary` and `tributary-hub` goes
/// through, so that a name cannot move the cursor, retitle the window, rewrite what was
/// printed before (ESC and OSC sequences, other C0 and C1 controls) or reorder what follows
/// (bidirectional overrides and isolates).
///
/// Such characters are shown escaped, Swift style: ESC as `\u{1B}`, U+202E as `\u{202E}`, a
/// tab as `\t`; everything else is left as it is. JSON output keeps them as data (as JSON
/// `\u` escapes, see ``jsonSafe(_:)``).
public enum TerminalText {
    /// `text` with every control and bidirectional formatting character escaped; with
    /// `keepingNewlines`, line feeds stay (for text that is several lines on purpose).
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingNewlines: keepingNewlines) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, keepingNewlines: keepingNewlines) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return result
    }

    /// JSON text (as `JSONEncoder` writes it) with the C1 controls and bidirectional
    /// formatting characters it leaves raw written as `\uXXXX` escapes: the same data once
    /// parsed, and nothing that acts on a terminal when printed there. (C0 controls are
    /// already escaped by every JSON encoder; outside strings JSON holds only ASCII.)
    public static func jsonSafe(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { $0.value >= 0x7F && needsEscape($0, keepingNewlines: true) }) else { return json }
        var result = ""
        for scalar in json.unicodeScalars {
            if scalar.value >= 0x7F, needsEscape(scalar, keepingNewlines: true) {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `scalar` is shown escaped: C0 controls (but a line feed when kept), DEL, C1
    /// controls, the bidirectional marks, embeddings, overrides and isolates (U+061C,
    /// U+200E–U+200F, U+202A–U+202E, U+2066–U+2069), and the line and paragraph separators
    /// (U+2028–U+2029).
    public static func needsEscape(_ scalar: Unicode.Scalar, keepingNewlines: Bool = false) -> Bool {
        switch scalar.value {
        case 0x0A: !keepingNewlines
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }
}
