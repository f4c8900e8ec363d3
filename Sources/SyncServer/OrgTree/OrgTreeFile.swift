public import SyncModel
import CountyWork
import Foundation

/// Reads an org tree file for `tributary-hub org import`: CSV with a header
/// `id,name,kind,parentId[,orgForm]`, or a JSON array of objects with those keys.
///
/// Every problem is reported with its line: a missing column, an unknown kind, a duplicate
/// id, a parent that is neither in the file nor already in the hub, a cycle.
public enum OrgTreeFile {
    /// Parses and checks `text`; `existing` are unit ids the hub already holds.
    public static func parse(_ text: String, existing: Set<String> = []) throws(SyncError) -> [HubOrgUnit] {
        let trimmed = text.drop { $0.isWhitespace }
        let entries = trimmed.hasPrefix("[") ? try json(text) : try csv(text)
        var seen: [String: Int] = [:]
        for (line, unit) in entries {
            guard Identifier.isValidID(unit.id) else { throw problem(line, "\"\(unit.id.prefix(40))\" is not a valid unit id") }
            if let first = seen[unit.id] { throw problem(line, "unit \(unit.id) is already defined on line \(first)") }
            seen[unit.id] = line
            guard OrgUnit.Kind(rawValue: unit.kind) != nil else {
                throw problem(line, "kind \"\(unit.kind)\" is not one of \(OrgUnit.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let form = unit.orgForm, OrgUnit.OrgForm(rawValue: form) == nil {
                throw problem(line, "orgForm \"\(form)\" is not one of \(OrgUnit.OrgForm.allCases.map(\.rawValue).joined(separator: ", "))")
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
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .init(charactersIn: "\r")) }
        guard let header = lines.first?.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") })
        else { return [] }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let id = column("id"), let name = column("name"), let kind = column("kind"), let parent = column("parentId") else {
            throw problem(1, "the header must name the columns id,name,kind,parentId (and optionally orgForm)")
        }
        let form = column("orgForm")
        var entries: [(Int, HubOrgUnit)] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= header.count else {
                throw problem(index + 1, "expected \(header.count) columns, found \(cells.count)")
            }
            func value(_ i: Int?) -> String? { i.flatMap { cells[$0].isEmpty ? nil : cells[$0] } }
            entries.append(
                (index + 1, HubOrgUnit(id: cells[id], name: cells[name], kind: cells[kind], parentId: value(parent), orgForm: value(form))))
        }
        return entries
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
        do {
            entries = try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
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
        return entries.enumerated().map { index, entry in
            (index < lines.count ? lines[index] : index + 1,
             HubOrgUnit(id: entry.id, name: entry.name, kind: entry.kind, parentId: entry.parentId, orgForm: entry.orgForm))
        }
    }
}
