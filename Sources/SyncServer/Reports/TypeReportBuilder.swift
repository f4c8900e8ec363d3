import SyncModel

/// Computes the generic reports of one record type in Swift, over the org tree as a value
/// (``OrgTree``) and the records the store read: no SQL, so every ``HubStore`` gets them.
struct TypeReportBuilder {
    let schema: Schema
    let type: String
    let recordType: RecordType
    let query: ReportQuery
    let personal: PersonalAccess
    /// The tree of every org unit, and each unit's name.
    let tree: OrgTree
    let names: [String: String]
    /// The unit the report covers, and its children in path order.
    let root: HubOrgUnit
    let children: [HubOrgUnit]

    /// Resolves the report's unit (`query.org`, else the first root of the tree): 404
    /// `not_found` for an unknown one or an empty tree.
    init(schema: Schema, units: [HubOrgUnit], query: ReportQuery, personal: PersonalAccess) throws(SyncError) {
        self.schema = schema
        self.type = query.type ?? ""
        self.recordType = schema.types[type] ?? RecordType(description: "", scopeField: nil, fields: [:])
        self.query = query
        self.personal = personal
        tree = OrgTree(parents: Dictionary(units.map { ($0.id, $0.parentId) }, uniquingKeysWith: { first, _ in first }))
        names = Dictionary(units.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        if let org = query.org {
            guard let unit = units.first(where: { $0.id == org }) else {
                throw SyncError(.notFound, "there is no org unit \"\(org.prefix(60))\" on this hub; see tributary-hub org list")
            }
            root = unit
        } else {
            guard let unit = units.first(where: { $0.parentId == nil }) else {
                throw SyncError(.notFound, "the hub has no org tree yet; import one with tributary-hub org import")
            }
            root = unit
        }
        let rootID = root.id
        children = units.filter { $0.parentId == rootID }
    }

    var language: ReportLanguage { query.language }

    /// Where a record of unit `scope` counts: `nil` outside the report's subtree, the root
    /// itself for a record the root holds directly, else the root's child above it.
    func group(of scope: String, cache: inout [String: String?]) -> String? {
        if let known = cache[scope] { return known }
        var found: String?
        if let path = tree.path(to: scope), let index = path.firstIndex(of: root.id) {
            found = index == path.count - 1 ? root.id : path[index + 1]
        }
        cache[scope] = .some(found)
        return found
    }

    /// Records per unit: the root's total, each child (its whole subtree), and "held directly"
    /// when the root holds records itself — the rows add up to the total.
    func counts(_ records: [HubRecord]) -> ReportTable {
        var cache: [String: String?] = [:]
        var perGroup: [String: Int64] = [:]
        var total: Int64 = 0
        for record in records where record.place.isPlaced {
            guard let group = group(of: record.place.scope, cache: &cache) else { continue }
            perGroup[group, default: 0] += 1
            total += 1
        }
        func row(_ kind: String, _ unit: HubOrgUnit, _ count: Int64) -> [ReportValue] {
            [.text(Labels.text("row.\(kind)", language)), .text(unit.id), .text(unit.name), .int(count)]
        }
        var rows = [row("total", root, total)] + children.map { row("unit", $0, perGroup[$0.id] ?? 0) }
        if let direct = perGroup[root.id], direct > 0 { rows.append(row("direct", root, direct)) }
        return table(.counts, columns: ["row", "unit", "name", "records"], rows: rows)
    }

    /// One row per live record whose unit lies in the root's subtree, in id order: `_id`,
    /// `_unit`, `_unitName`, then every field of the type by name (its scope field is `_unit`),
    /// set fields as their elements joined with `, `. A personal field's cell is empty (null)
    /// unless ``personal`` shows it for the record's place.
    func export(_ records: [HubRecord]) -> ReportTable {
        let fields = recordType.fields.keys.filter { $0 != recordType.scopeField }.sorted()
        var cache: [String: String?] = [:]
        var rows: [[ReportValue]] = []
        for record in records where record.place.isPlaced {
            if let limit = query.limit, rows.count >= limit { break }
            guard group(of: record.place.scope, cache: &cache) != nil else { continue }
            let whole = personal.shows(record.place)
            let values = record.state.values
            let sets = record.state.setValues
            var row: [ReportValue] = [.text(record.id), .text(record.place.scope), .text(names[record.place.scope] ?? "")]
            for field in fields {
                let spec = recordType.fields[field]
                if spec?.personal == true && !whole {
                    row.append(.null)
                } else if spec?.kind == .set {
                    row.append(.text((sets[field] ?? []).joined(separator: ", ")))
                } else {
                    row.append(Self.cell(values[field]))
                }
            }
            rows.append(row)
        }
        return table(.records, columns: ["_id", "_unit", "_unitName"] + fields, rows: rows)
    }

    /// A field's shown value as a cell: text as text, numbers as numbers, booleans as
    /// `true`/`false`, nothing as null.
    static func cell(_ value: FieldValue?) -> ReportValue {
        switch value {
        case .string(let text)?: .text(text)
        case .int(let int)?: .int(int)
        case .number(let number)?: .number(number)
        case .bool(let flag)?: .text(flag ? "true" : "false")
        case .null?, nil: .null
        }
    }

    func table(_ report: TypeReport, columns: [String], rows: [[ReportValue]]) -> ReportTable {
        ReportTable(
            report: report.rawValue, title: report.title(language, type: type), org: root.id, language: language,
            columns: columns.map { ReportTable.Column(key: $0, label: header($0)) }, rows: rows)
    }

    /// A column's header: the report's own columns are labelled, a field is its name.
    func header(_ key: String) -> String {
        switch key {
        case "_id": Labels.text("col.recordId", language)
        case "_unit": Labels.text("col.unit", language)
        case "_unitName": Labels.text("col.unitName", language)
        case "row", "unit", "name", "records": Labels.text("col.\(key)", language)
        default: key
        }
    }
}
