import SyncClient
import SyncModel
import SyncStore

/// What `explain` shows: every write of a record's fields, which wins, and why.
struct ExplanationView: Encodable {
    struct Write: Encodable {
        var position: Int64
        var version: Version
        var site: SiteID
        /// Who writes as the site, when the hub named it (`GET /v1/sites`).
        var siteName: String?
        var seq: UInt64
        var own: Bool
        var value: FieldValue
        var bases: [Version]
        var head: Bool
        var role: WriteExplanation.Role
        var sync: String
        var reason: SyncError?
    }

    struct Field: Encodable {
        var field: String
        var elem: String?
        var policy: MergePolicy
        var value: FieldValue?
        var winner: Version?
        var rule: String
        var writes: [Write]
        var conflicts: [Conflict]
    }

    var type: String
    var id: String
    var deleted: Bool
    var deletion: String?
    var fields: [Field]

    init(_ explanation: RecordExplanation, siteNames: [SiteID: String] = [:]) {
        type = explanation.key.type
        id = explanation.key.id
        deleted = explanation.isDeleted
        deletion = explanation.deletion
        fields = explanation.fields.map { field in
            Field(
                field: field.key.field, elem: field.key.element, policy: field.policy, value: field.value,
                winner: field.winner, rule: field.rule,
                writes: field.writes.map { write in
                    let (sync, reason) = LogEntryView.describe(write.syncState)
                    return Write(
                        position: write.position, version: write.version, site: write.origin.site,
                        siteName: siteNames[write.origin.site], seq: write.origin.seq,
                        own: write.isOwn, value: write.value, bases: write.bases, head: write.isHead, role: write.role,
                        sync: sync, reason: reason)
                },
                conflicts: field.conflicts)
        }
    }

    func text() -> String {
        var lines = ["\(type) \(id)" + (deleted ? "  (deleted)" : "")]
        if let deletion { lines.append("  \(deletion)") }
        for field in fields {
            let name = field.elem.map { "\(field.field)[\($0)]" } ?? field.field
            lines.append("")
            lines.append("\(name) = \(field.value.map { $0.description } ?? "(nothing stands)")")
            lines.append("  why: \(field.rule)")
            var table = TextTable(header: ["  #", "VERSION", "ORIGIN", "VALUE", "BASES", "ROLE", "SYNC"])
            table.maxCellWidth = 36
            table.wholeColumns = [1, 2]
            for write in field.writes {
                table.rows.append([
                    "  \(write.position)", write.version.text, write.own ? "this station #\(write.seq)" : "\(write.siteName.map { "\($0) (\(write.site.hex))" } ?? write.site.hex) #\(write.seq)",
                    write.value.description, write.bases.isEmpty ? "-" : write.bases.map(\.text).joined(separator: " "),
                    write.role.rawValue + (write.head ? " (head)" : ""),
                    write.reason.map { "refused: \($0.code.rawValue): \($0.message)" } ?? write.sync,
                ])
            }
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }
}
