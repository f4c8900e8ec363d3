import SyncModel
import SyncStore

/// One local change as `log` shows it; personal values are masked.
/// In JSON it is the whole change (origin, clock, scope, bases) plus its sync state.
struct LogEntryView: Encodable {
    var position: Int64
    var site: String
    var seq: UInt64
    var hlc: String
    var version: Version
    var type: String
    var id: String
    var scope: String
    var field: String
    var elem: String?
    var value: FieldValue
    var bases: [Version]
    var state: String
    var reason: SyncError?

    init(_ logged: LoggedChange, schema: Schema) {
        let change = logged.change
        position = logged.position
        site = change.site.hex
        seq = change.seq
        hlc = change.hlc.hex
        version = change.version
        type = change.type
        id = change.id
        scope = change.scope
        field = change.field
        elem = change.element
        bases = change.bases
        let personal = change.element == nil && schema.field(change.field, of: change.type)?.personal == true
        value = personal && change.value != .null ? .string("<personal>") : change.value
        (state, reason) = Self.describe(logged.state)
    }

    static func describe(_ state: LoggedChange.SyncState?) -> (String, SyncError?) {
        switch state {
        case .waiting?: ("waiting", nil)
        case .acknowledged?: ("acknowledged", nil)
        case .refused(let error)?: ("refused", error)
        case nil: ("received", nil)
        }
    }

    static func table(_ entries: [LogEntryView]) -> String {
        var table = TextTable(header: ["SEQ", "VERSION", "RECORD", "FIELD", "VALUE", "STATE"])
        table.wholeColumns = [1, 2]
        for entry in entries {
            table.rows.append([
                "\(entry.seq)", entry.version.text, "\(entry.type) \(entry.id)",
                entry.elem.map { "\(entry.field)[\($0)]" } ?? entry.field, ValueText.text(entry.value),
                entry.reason.map { "refused: \($0.code.rawValue): \($0.message)" } ?? entry.state,
            ])
        }
        return table.render()
    }
}
