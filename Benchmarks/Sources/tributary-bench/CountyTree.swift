import Foundation
import SyncServer

/// The county's org tree as the sample file describes it (Protocol/examples/sample-county.json:
/// one county, ~20 townships, ~300 units), with the lookups the generator needs.
struct CountyTree: Sendable {
    /// Every unit, in file order.
    let units: [HubOrgUnit]
    /// The county (root) unit's id.
    let root: String
    /// Township and street units, in file order.
    let townships: [String]
    /// Units below each township where records live (communities, villages, grids, buildings).
    let below: [String: [String]]
    /// Community and village units, each with its township.
    let communities: [(unit: String, township: String)]

    /// Loads the tree from the sample county file.
    static func load(path: String) throws -> CountyTree {
        struct Entry: Decodable {
            var id: String
            var kind: String
            var name: String
            var orgForm: String?
            var parentId: String?
        }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let units = entries.map { HubOrgUnit(id: $0.id, name: $0.name, kind: $0.kind, parentId: $0.parentId, orgForm: $0.orgForm) }
        let parent = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0.parentId) })
        let kind = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0.kind) })
        func township(of id: String) -> String? {
            var current: String? = id
            while let unit = current {
                if kind[unit] == "township" || kind[unit] == "street" { return unit }
                current = parent[unit] ?? nil
            }
            return nil
        }
        var below: [String: [String]] = [:]
        var communities: [(String, String)] = []
        for entry in entries where !["county", "township", "street"].contains(entry.kind) {
            guard let top = township(of: entry.id) else { continue }
            below[top, default: []].append(entry.id)
            if entry.kind == "community" || entry.kind == "village" { communities.append((entry.id, top)) }
        }
        guard let root = entries.first(where: { $0.parentId == nil })?.id else {
            throw BenchError("the county file has no root unit")
        }
        let townships = entries.filter { $0.kind == "township" || $0.kind == "street" }.map(\.id)
        return CountyTree(units: units, root: root, townships: townships, below: below, communities: communities)
    }

    /// The units where a township's records live (the township itself when it has none).
    func recordUnits(of township: String) -> [String] {
        below[township].flatMap { $0.isEmpty ? nil : $0 } ?? [township]
    }

    /// Finds the sample county file: the given path, or Protocol/examples beside this source tree.
    static func defaultPath() -> String {
        let relative = "Protocol/examples/sample-county.json"
        if FileManager.default.fileExists(atPath: relative) { return relative }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent(relative).path
    }
}

/// A failure of the benchmark harness itself (not of the code measured).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension CountyTree {
    /// `unit` and every unit below it.
    func subtree(of unit: String) -> [String] {
        var children: [String: [String]] = [:]
        for entry in units { if let parent = entry.parentId { children[parent, default: []].append(entry.id) } }
        var result: [String] = []
        var stack = [unit]
        while let next = stack.popLast() {
            result.append(next)
            stack += (children[next] ?? []).reversed()
        }
        return result
    }
}
