public import SyncModel
import Foundation

/// Reads an org tree file for `tributary-hub org import`: CSV (RFC 4180, as spreadsheet
/// programs save it) with a header naming the columns `id,name,kind,parentId[,orgForm]` in any
/// order, or a JSON array of objects with those keys.
///
/// Every problem is reported with its line: an unknown or missing column, a row with too few or
/// too many cells, an unknown kind, a duplicate id, a parent that is neither in the file nor
/// already in the hub, a cycle. A file with no units is refused unless `allowEmpty` says that is
/// meant, so that a file misread as empty never passes for a successful import.
public enum OrgTreeFile {
    /// The columns (and JSON keys) of an org tree file; the first four are required.
    static let columns = ["id", "name", "kind", "parentId", "orgForm"]
    static let requiredColumns = 4

    /// Decodes `bytes` (``OrgFileEncoding``) and parses them; `file` names the file in errors.
    public static func parse(
        _ bytes: [UInt8], file: String, encoding: OrgFileEncoding = .utf8, existing: Set<String> = [], allowEmpty: Bool = false,
        schema: Schema? = nil
    ) throws(SyncError) -> [HubOrgUnit] {
        try parse(encoding.decode(bytes, file: file), existing: existing, allowEmpty: allowEmpty, file: file, schema: schema)
    }

    /// Parses and checks `text`; `existing` are unit ids the hub already holds. With the hub's
    /// `schema`, `kind` and `orgForm` must be values its org unit type allows (when that type
    /// lists them).
    public static func parse(
        _ text: String, existing: Set<String> = [], allowEmpty: Bool = false, file: String = "the file", schema: Schema? = nil
    ) throws(SyncError) -> [HubOrgUnit] {
        let unitFields = schema?.orgUnitType.flatMap { schema?.types[$0]?.fields } ?? [:]
        let kinds = unitFields["kind"]?.values ?? [], forms = unitFields["orgForm"]?.values ?? []
        let text = text.hasPrefix("\u{FEFF}") ? String(text.unicodeScalars.dropFirst()) : text
        let trimmed = text.drop { $0.isWhitespace }
        let entries = trimmed.hasPrefix("[") ? try json(text) : try csv(text)
        if entries.isEmpty && !allowEmpty {
            throw SyncError(
                .badRequest,
                trimmed.isEmpty
                    ? "\(file) is empty: nothing was imported"
                    : "\(file) holds no org units\(trimmed.hasPrefix("[") ? "" : " (only a header)"): nothing was imported; pass --allow-empty if that is what you meant")
        }
        var seen: [String: Int] = [:]
        for (line, unit) in entries {
            guard Identifier.isValidID(unit.id) else { throw problem(line, "\"\(unit.id.prefix(40))\" is not a valid unit id") }
            if let first = seen[unit.id] { throw problem(line, "unit \(unit.id) is already defined on line \(first)") }
            seen[unit.id] = line
            // No store keeps it the same way (PostgreSQL's text holds none), and no name needs it.
            for (column, value) in [("name", unit.name), ("kind", unit.kind), ("orgForm", unit.orgForm ?? "")] where value.utf8.contains(0) {
                throw problem(line, "the \(column) of unit \(unit.id) holds the NUL character (U+0000)")
            }
            guard kinds.isEmpty || kinds.contains(unit.kind) else {
                throw problem(line, "kind \"\(unit.kind)\" is not one of \(kinds.joined(separator: ", "))")
            }
            if let form = unit.orgForm, !forms.isEmpty, !forms.contains(form) {
                throw problem(line, "orgForm \"\(form)\" is not one of \(forms.joined(separator: ", "))")
            }
            guard !unit.name.isEmpty else { throw problem(line, "unit \(unit.id) has no name") }
        }
        for (line, unit) in entries {
            if let parent = unit.parentId, seen[parent] == nil, !existing.contains(parent) {
                throw problem(line, "unit \(unit.id) names parent \(parent), which is neither in the file nor in the hub")
            }
        }
        let byID = Dictionary(entries.map { ($0.unit.id, $0.unit) }, uniquingKeysWith: { a, _ in a })
        for (line, unit) in entries {
            var current = unit.parentId
            var steps = 0
            while let id = current, let parent = byID[id] {
                steps += 1
                guard id != unit.id, steps <= byID.count else { throw problem(line, "unit \(unit.id) is its own ancestor (a cycle)") }
                current = parent.parentId
            }
        }
        return entries.map(\.unit)
    }

    static func problem(_ line: Int, _ message: String) -> SyncError {
        SyncError(.badRequest, "line \(line): \(message)")
    }

    static func csv(_ text: String) throws(SyncError) -> [(line: Int, unit: HubOrgUnit)] {
        let records = try CSVReader.records(text)
        guard let header = records.first else { return [] }
        let index = try columnIndex(header.cells, line: header.line)
        var entries: [(Int, HubOrgUnit)] = []
        for record in records.dropFirst() {
            let cells = record.cells
            guard cells.count == header.cells.count else {
                throw problem(
                    record.line,
                    "expected \(header.cells.count) cells (\(header.cells.joined(separator: ","))), found \(cells.count) — a name with a comma must be in double quotes")
            }
            func value(_ column: String) -> String? { index[column].flatMap { cells[$0].isEmpty ? nil : cells[$0] } }
            entries.append(
                (record.line,
                 HubOrgUnit(
                    id: value("id") ?? "", name: value("name") ?? "", kind: value("kind") ?? "", parentId: value("parentId"),
                    orgForm: value("orgForm"))))
        }
        return entries
    }

    /// Where each column of the header stands; refuses unknown, repeated and missing columns.
    static func columnIndex(_ header: [String], line: Int) throws(SyncError) -> [String: Int] {
        var index: [String: Int] = [:]
        var unknown: [String] = []
        for (position, name) in header.enumerated() {
            guard columns.contains(name) else {
                let hint = columns.first { $0.lowercased() == name.lowercased() }.map { " (did you mean \($0)?)" } ?? ""
                unknown.append(name.isEmpty ? "an empty column \(position + 1)" : "\"\(name.prefix(40))\"\(hint)")
                continue
            }
            if index[name] != nil { throw problem(line, "the column \(name) is named twice") }
            index[name] = position
        }
        let missing = columns.prefix(requiredColumns).filter { index[$0] == nil }
        guard unknown.isEmpty, missing.isEmpty else {
            var parts: [String] = []
            if !unknown.isEmpty { parts.append("unknown column\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", "))") }
            if !missing.isEmpty { parts.append("missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))") }
            throw problem(line, "\(parts.joined(separator: "; ")): the header names the columns id,name,kind,parentId and optionally orgForm")
        }
        return index
    }

    static func json(_ text: String) throws(SyncError) -> [(line: Int, unit: HubOrgUnit)] {
        struct Entry: Decodable {
            var id: String
            var name: String
            var kind: String
            var parentId: String?
            var orgForm: String?
        }
        let entries: [Entry]
        let objects: [[String: Any]]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
            objects = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
        } catch {
            throw problem(1, "the file is not a JSON array of {id, name, kind, parentId, orgForm} objects")
        }
        // The line of each entry: where its n-th "id" key stands.
        var lines: [Int] = []
        var line = 1
        let scalars = Array(text.utf8)
        let key = Array("\"id\"".utf8)
        var i = 0
        while i < scalars.count {
            if scalars[i] == UInt8(ascii: "\n") { line += 1 }
            if scalars[i] == key[0], i + key.count <= scalars.count, Array(scalars[i..<i + key.count]) == key { lines.append(line) }
            i += 1
        }
        func lineOf(_ index: Int) -> Int { index < lines.count ? lines[index] : index + 1 }
        for (index, object) in objects.enumerated() {
            let unknown = object.keys.filter { !columns.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw problem(lineOf(index), "unknown key\(unknown.count > 1 ? "s" : "") \(unknown.map { "\"\($0.prefix(40))\"" }.joined(separator: ", ")): an org unit has id, name, kind, parentId and optionally orgForm")
            }
        }
        return entries.enumerated().map { index, entry in
            (lineOf(index), HubOrgUnit(id: entry.id, name: entry.name, kind: entry.kind, parentId: entry.parentId, orgForm: entry.orgForm))
        }
    }
}
