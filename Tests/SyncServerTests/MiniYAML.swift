/// Just enough YAML to read Protocol/openapi.yaml: block mappings and sequences by
/// indentation, flow sequences of scalars, quoted and plain scalars, comments and folded
/// (`>`/`|`) scalars. Returns dictionaries, arrays and strings.
enum MiniYAML {
    struct Line {
        var indent: Int
        var text: String
    }

    static func parse(_ text: String) -> Any {
        var lines: [Line] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            lines.append(Line(indent: line.count - trimmed.count, text: String(trimmed)))
        }
        var index = 0
        return block(lines, &index, indent: 0)
    }

    private static func block(_ lines: [Line], _ index: inout Int, indent: Int) -> Any {
        guard index < lines.count else { return [String: Any]() }
        if lines[index].text.hasPrefix("- ") || lines[index].text == "-" {
            var items: [Any] = []
            while index < lines.count, lines[index].indent == indent, lines[index].text.hasPrefix("-") {
                let rest = String(lines[index].text.dropFirst(2))
                if rest.contains(": ") || rest.hasSuffix(":") {
                    // A mapping item: treat its first key as a line at indent + 2.
                    var sub = lines
                    sub[index] = Line(indent: indent + 2, text: rest)
                    items.append(block(sub, &index, indent: indent + 2))
                    continue
                }
                items.append(scalar(rest))
                index += 1
            }
            return items
        }
        var map: [String: Any] = [:]
        while index < lines.count, lines[index].indent == indent {
            let text = lines[index].text
            guard let colon = keyEnd(text) else { index += 1; continue }
            let key = unquote(String(text[..<colon]))
            let rest = String(text[text.index(after: colon)...]).trimmingSpaces
            index += 1
            if rest == ">" || rest == "|" || rest == ">-" || rest == "|-" {
                var folded: [String] = []
                while index < lines.count, lines[index].indent > indent { folded.append(lines[index].text); index += 1 }
                map[key] = folded.joined(separator: " ")
            } else if rest.isEmpty {
                if index < lines.count, lines[index].indent > indent || (lines[index].indent == indent && lines[index].text.hasPrefix("- ")) {
                    map[key] = block(lines, &index, indent: lines[index].indent)
                } else {
                    map[key] = ""
                }
            } else {
                map[key] = scalar(rest)
            }
        }
        return map
    }

    private static func keyEnd(_ text: String) -> String.Index? {
        var inQuote: Character?
        for i in text.indices {
            let c = text[i]
            if let q = inQuote { if c == q { inQuote = nil }; continue }
            if c == "'" || c == "\"" { inQuote = c; continue }
            if c == ":" && (text.index(after: i) == text.endIndex || text[text.index(after: i)] == " ") { return i }
        }
        return nil
    }

    private static func scalar(_ text: String) -> Any {
        let t = text.trimmingSpaces
        if t.hasPrefix("[") && t.hasSuffix("]") {
            return t.dropFirst().dropLast().split(separator: ",").map { unquote($0.trimmingSpaces) }
        }
        if t.hasPrefix("{") && t.hasSuffix("}") {
            var map: [String: Any] = [:]
            for part in t.dropFirst().dropLast().split(separator: ",") {
                let pieces = part.split(separator: ":", maxSplits: 1)
                if pieces.count == 2 { map[unquote(pieces[0].trimmingSpaces)] = unquote(pieces[1].trimmingSpaces) }
            }
            return map
        }
        return unquote(t)
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
