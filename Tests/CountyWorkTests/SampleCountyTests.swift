import CountyWork
import Foundation
import SyncModel
import Testing

/// One row of Protocol/examples/sample-county.{json,csv}.
struct SampleRow: Codable, Hashable {
    var id: String
    var name: String
    var kind: String
    var parentId: String?
    var orgForm: String
}

@Suite("The sample county")
struct SampleCountyTests {
    let rows: [SampleRow]
    let units: [String: OrgUnit]

    init() throws {
        rows = try JSONDecoder().decode([SampleRow].self, from: Fixture.data("Protocol/examples/sample-county.json"))
        var units: [String: OrgUnit] = [:]
        for row in rows {
            var fields: [String: FieldValue] = ["name": .string(row.name), "kind": .string(row.kind)]
            fields["orgForm"] = .string(row.orgForm)
            if let parent = row.parentId { fields["parentId"] = .string(parent) }
            units[row.id] = try OrgUnit(id: row.id, fields: fields)
        }
        self.units = units
    }

    @Test("The CSV holds the same rows as the JSON")
    func csvMatchesJSON() throws {
        // Given the CSV file
        let text = try Fixture.text("Protocol/examples/sample-county.csv")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Then it has the header, one line per row and a final newline
        #expect(lines.first == "id,name,kind,parentId,orgForm")
        #expect(lines.last == "")
        let body = lines.dropFirst().dropLast()
        #expect(!body.contains { $0.contains("\"") || $0.contains("\r") })
        let csvRows = body.map { line -> SampleRow in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return SampleRow(
                id: cells[0], name: cells[1], kind: cells[2], parentId: cells[3].isEmpty ? nil : cells[3],
                orgForm: cells[4])
        }
        #expect(body.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 5 })
        #expect(csvRows == rows)
    }

    @Test("It has about 300 units with unique, well-formed ids, each a valid org unit")
    func size() {
        #expect((280...320).contains(rows.count))
        #expect(units.count == rows.count, "ids are unique")
        #expect(rows.allSatisfy { Identifier.isValidID($0.id) })
        #expect(units.values.filter { $0.kind == .township || $0.kind == .street }.count >= 20)
        #expect(units.values.filter { $0.kind == .community }.count == 27)
        #expect(units.values.contains { $0.kind == .building })
    }

    @Test("It has one root, the county 永春县")
    func oneRoot() throws {
        let roots = units.values.filter { $0.parentId == nil }
        #expect(roots.count == 1)
        let root = try #require(roots.first)
        #expect(root.id == "yc" && root.kind == .county && root.name == "永春县")
    }

    @Test("Every parent exists, parents come first, and there is no cycle")
    func tree() {
        var seen: Set<String> = []
        for row in rows {
            if let parent = row.parentId {
                #expect(seen.contains(parent), "\(row.id): parent \(parent) is missing or comes later")
            }
            seen.insert(row.id)
        }
        // Walking up from any unit reaches the root in fewer steps than there are units.
        for unit in units.values {
            var current = unit
            var steps = 0
            while let parent = current.parentId, let next = units[parent], steps <= units.count {
                current = next
                steps += 1
            }
            #expect(current.id == "yc", "\(unit.id) does not reach the root")
        }
    }

    @Test("Each unit sits below a unit of a higher level, and its id extends its parent's")
    func levels() {
        let level: [OrgUnit.Kind: Int] = [
            .county: 0, .township: 1, .street: 1, .community: 2, .village: 2, .grid: 3, .building: 4,
        ]
        for unit in units.values {
            guard let parentId = unit.parentId, let parent = units[parentId] else { continue }
            #expect(level[unit.kind]! > level[parent.kind]!, "\(unit.id) is a \(unit.kind) under a \(parent.kind)")
            #expect(unit.id.hasPrefix(parentId + "-"), "\(unit.id) under \(parentId)")
        }
    }

    @Test("Sibling units have distinct names")
    func siblingNames() {
        var seen: Set<String> = []
        for unit in units.values {
            let key = "\(unit.parentId ?? "")/\(unit.name)"
            #expect(seen.insert(key).inserted, "\(unit.name) twice under \(unit.parentId ?? "root")")
        }
    }
}
