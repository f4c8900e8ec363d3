import SyncModel

/// What a report reads: SQL over the hub's tables (`records`, `fields`, `org_units`,
/// `stations`, the `rf_*` facts), all of it from one consistent snapshot. The SQL is portable
/// (SQLite and PostgreSQL); where the two differ, the ``ReportDialect`` writes the piece.
protocol ReportDatabase: Sendable {
    /// How this database spells what SQL does not share.
    var dialect: ReportDialect { get }
    /// Runs `sql` (placeholders `?`, in order) with `arguments` and returns every row.
    func rows(_ sql: String, _ arguments: [ReportArgument]) async throws -> [ReportRow]
}

/// A value bound to a report query.
enum ReportArgument: Sendable, Hashable {
    case text(String)
    case int(Int64)
    case null
}

/// One cell of a report query's row.
enum ReportCell: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
}

/// One row of a report query, read by column index; a cell reads as the type asked for when
/// it holds that type or one that converts exactly (PostgreSQL's `numeric` sums arrive as
/// text, SQLite's integral doubles as integers).
struct ReportRow: Sendable {
    var cells: [ReportCell]

    func text(_ index: Int) -> String? {
        switch cells[index] {
        case .null: nil
        case .text(let text): text
        case .int(let int): String(int)
        case .double(let double): String(double)
        }
    }

    func int(_ index: Int) -> Int64? {
        switch cells[index] {
        case .null: nil
        case .int(let int): int
        case .double(let double): Int64(exactly: double.rounded(.towardZero))
        case .text(let text): Int64(text) ?? Double(text).flatMap { Int64(exactly: $0.rounded(.towardZero)) }
        }
    }

    func double(_ index: Int) -> Double? {
        switch cells[index] {
        case .null: nil
        case .int(let int): Double(int)
        case .double(let double): double
        case .text(let text): Double(text)
        }
    }

    func bool(_ index: Int) -> Bool? {
        switch cells[index] {
        case .null: nil
        case .int(let int): int != 0
        case .double(let double): double != 0
        case .text(let text): text == "true" || text == "t" || text == "1"
        }
    }
}

/// The SQL pieces SQLite and PostgreSQL spell differently.
struct ReportDialect: Sendable {
    /// A field row's winning value as text to compare and group (`alias.value`).
    var value: @Sendable (_ alias: String) -> String
    /// Whether a field row's winning value is `true` (a set element kept).
    var isTrue: @Sendable (_ alias: String) -> String
    /// The floating-point sum of `expression`, 0.0 over no rows.
    var total: @Sendable (_ expression: String) -> String
    /// The whole days from date text `from` to date text `to`.
    var days: @Sendable (_ from: String, _ to: String) -> String
    /// A field row's winning value as the database returns it, for ``fieldValue``.
    var rawValue: @Sendable (_ alias: String) -> String
    /// A winner selected with ``rawValue`` as a field value of `kind`.
    var fieldValue: @Sendable (_ cell: ReportCell, _ kind: ValueKind?) -> FieldValue
    /// The argument of `LIMIT ?` that means no limit.
    var noLimit: ReportArgument

    /// SQLite: values stored natively, `total()`, `julianday()`, `LIMIT -1`.
    static let sqlite = ReportDialect(
        value: { "\($0).value" }, isTrue: { "\($0).value = 1" }, total: { "total(\($0))" },
        days: { from, to in "CAST(julianday(\(to)) - julianday(\(from)) AS INTEGER)" }, rawValue: { "\($0).value" },
        fieldValue: { cell, kind in
            switch cell {
            case .null: .null
            case .int(let int): kind == .bool ? .bool(int != 0) : kind == .number ? .number(Double(int)) : .int(int)
            case .double(let double): .number(double)
            case .text(let text): .string(text)
            }
        },
        noLimit: .int(-1))

    /// PostgreSQL: values as canonical JSON in `jsonb`, `LIMIT NULL`.
    static let postgres = ReportDialect(
        value: { "(\($0).value #>> '{}')" }, isTrue: { "\($0).value = 'true'::jsonb" },
        total: { "coalesce(sum(\($0)), 0)::double precision" }, days: { from, to in "(\(to)::date - \(from)::date)" },
        rawValue: { "\($0).value::text" },
        fieldValue: { cell, kind in
            guard case .text(let json) = cell, var value = CanonicalJSON.parseValue(json) else { return .null }
            if kind == .number, case .int(let int) = value { value = .number(Double(int)) }
            return value
        },
        noLimit: .null)
}
