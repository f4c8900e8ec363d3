import SyncModel

/// A record as `get` and `list` show it.
struct RecordView: Encodable {
    var type: String
    var id: String
    var deleted: Bool
    var fields: [String: FieldValue]
    var sets: [String: [String]]
    var versions: [String: Version]
    var conflicts: Int

    init(_ record: RecordState, schema: Schema) {
        type = record.key.type
        id = record.key.id
        deleted = record.isDeleted
        fields = record.values
        sets = record.setValues
        versions = record.fields.filter { $0.key != Schema.deletedField }.mapValues(\.winner.version)
        conflicts = record.conflicts { schema.types[record.key.type]?.effectivePolicy(of: $0) }.count
    }

    /// The record as a vertical table of fields.
    func text() -> String {
        var table = TextTable(header: ["FIELD", "VALUE", "VERSION"])
        table.maxCellWidth = 60
        table.wholeColumns = [2]
        for name in fields.keys.sorted() {
            table.rows.append([name, ValueText.text(fields[name]), versions[name]?.text ?? ""])
        }
        for name in sets.keys.sorted() {
            table.rows.append([name, "{" + (sets[name] ?? []).joined(separator: ", ") + "}", ""])
        }
        var lines = ["\(type) \(id)" + (deleted ? "  (deleted)" : "")]
        if conflicts > 0 { lines.append("\(conflicts) conflict(s): see `tributary explain \(type) \(id)`") }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }

    /// Records as one table: the id and every field any of them has.
    static func table(_ views: [RecordView]) -> String {
        let scalar = Set(views.flatMap(\.fields.keys)).sorted()
        let sets = Set(views.flatMap(\.sets.keys)).sorted()
        var table = TextTable(header: ["ID"] + scalar + sets)
        table.maxCellWidth = 24
        table.wholeColumns = [0]
        for view in views {
            table.rows.append(
                [view.id + (view.deleted ? " (deleted)" : "")] + scalar.map { ValueText.text(view.fields[$0]) }
                    + sets.map { "\(view.sets[$0]?.count ?? 0) elements" })
        }
        return table.render()
    }
}
