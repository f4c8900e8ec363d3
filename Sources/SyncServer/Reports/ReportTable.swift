/// The result of a report: named columns and rows of cells, plus what it was asked for.
/// It renders as JSON (`Codable`), CSV (``csv(bom:)``) and a text table (``text()``).
public struct ReportTable: Hashable, Sendable, Codable {
    /// One column: a stable key (JSON member name) and a header in the chosen language.
    public struct Column: Hashable, Sendable, Codable {
        /// The stable key, e.g. `direct`, `medianDays`.
        public var key: String
        /// The header in the report's language.
        public var label: String

        /// Creates a column.
        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }

    /// The report's name, e.g. `members`.
    public var report: String
    /// The report's title in its language.
    public var title: String
    /// The org unit the report covers (its subtree).
    public var org: String
    /// The first date included, if the report was limited.
    public var from: String?
    /// The last date included, if the report was limited.
    public var to: String?
    /// The language of the headers and labels.
    public var language: ReportLanguage
    /// The columns, in order.
    public var columns: [Column]
    /// The rows; each has one cell per column.
    public var rows: [[ReportValue]]

    /// Creates a table.
    public init(
        report: String, title: String, org: String, from: String? = nil, to: String? = nil, language: ReportLanguage,
        columns: [Column], rows: [[ReportValue]]
    ) {
        self.report = report
        self.title = title
        self.org = org
        self.from = from
        self.to = to
        self.language = language
        self.columns = columns
        self.rows = rows
    }

    /// The index of the column `key`.
    public func index(of key: String) -> Int? { columns.firstIndex { $0.key == key } }

    /// The cells of column `key`, one per row.
    public func column(_ key: String) -> [ReportValue] {
        guard let index = index(of: key) else { return [] }
        return rows.map { $0[index] }
    }

    /// The rows as dictionaries keyed by column key.
    public var records: [[String: ReportValue]] {
        rows.map { row in Dictionary(uniqueKeysWithValues: zip(columns.map(\.key), row)) }
    }

    enum CodingKeys: String, CodingKey {
        case report, title, org, from, to, language, columns, rows
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report, forKey: .report)
        try container.encode(title, forKey: .title)
        try container.encode(org, forKey: .org)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encodeIfPresent(to, forKey: .to)
        try container.encode(language, forKey: .language)
        try container.encode(columns, forKey: .columns)
        let keys = columns.map(\.key)
        try container.encode(records.map { OrderedRow(columns: keys, values: $0) }, forKey: .rows)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        report = try container.decode(String.self, forKey: .report)
        title = try container.decode(String.self, forKey: .title)
        org = try container.decode(String.self, forKey: .org)
        from = try container.decodeIfPresent(String.self, forKey: .from)
        to = try container.decodeIfPresent(String.self, forKey: .to)
        language = try container.decode(ReportLanguage.self, forKey: .language)
        columns = try container.decode([Column].self, forKey: .columns)
        let keys = columns.map(\.key)
        rows = try container.decode([[String: ReportValue]].self, forKey: .rows).map { row in keys.map { row[$0] ?? .null } }
    }
}

/// A JSON object whose members follow the column order.
private struct OrderedRow: Encodable {
    let columns: [String]
    let values: [String: ReportValue]

    init(columns: [String], values: [String: ReportValue]) {
        self.columns = columns
        self.values = values
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for key in columns { try container.encode(values[key] ?? .null, forKey: Key(stringValue: key)) }
    }
}
