import SyncModel
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func report(_ report: HubReport, query: ReportQuery) async throws -> ReportTable {
        try query.validate()
        let database = try SQLiteReportDatabase(reader: replica.writer)
        let org = try await OrgIndex(database, org: query.org)
        return try await ReportBuilder(db: database, schema: schema, org: org, query: query, nowMillis: now).build(report)
    }
}

/// A report's reads on the SQLite hub: every query of one report from one snapshot of the
/// database (a WAL snapshot that pushes do not move), or the reader itself where there is
/// no WAL (an in-memory or read-only hub, where nothing writes meanwhile).
struct SQLiteReportDatabase: ReportDatabase {
    let reader: any DatabaseReader
    var dialect: ReportDialect { .sqlite }

    init(reader: any DatabaseWriter) throws {
        if let pool = reader as? DatabasePool {
            self.reader = try pool.makeSnapshot()
        } else {
            self.reader = reader
        }
    }

    func rows(_ sql: String, _ arguments: [ReportArgument]) async throws -> [ReportRow] {
        let bound = StatementArguments(
            arguments.map { argument -> (any DatabaseValueConvertible)? in
                switch argument {
                case .text(let text): text
                case .int(let int): int
                case .null: nil
                }
            })
        return try await reader.read { db in
            try Row.fetchAll(db, sql: sql, arguments: bound).map { row in
                ReportRow(
                    cells: (0..<row.count).map { index in
                        let value: DatabaseValue = row[index]
                        return switch value.storage {
                        case .null: .null
                        case .int64(let int): .int(int)
                        case .double(let double): .double(double)
                        case .string(let string): .text(string)
                        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                        }
                    })
            }
        }
    }
}
