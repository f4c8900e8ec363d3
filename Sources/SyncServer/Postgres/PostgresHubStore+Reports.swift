public import SyncModel
import Foundation
import PostgresNIO

extension PostgresHubStore {
    public func report(_ report: HubReport, query: ReportQuery) async throws -> ReportTable {
        try query.validate()
        let schema = self.schema
        let nowMillis = now
        return try await read { tx in
            let database = PostgresReportDatabase(tx: tx)
            let org = try await OrgIndex(database, org: query.org)
            return try await ReportBuilder(db: database, schema: schema, org: org, query: query, nowMillis: nowMillis).build(report)
        }
    }
}

/// A report's reads on PostgreSQL, inside the report's read-only REPEATABLE READ transaction:
/// `?` placeholders become `$1…`, cells come back as integers, doubles or text.
struct PostgresReportDatabase: ReportDatabase {
    let tx: PostgresTransaction
    var dialect: ReportDialect { .postgres }

    func rows(_ sql: String, _ arguments: [ReportArgument]) async throws -> [ReportRow] {
        var numbered = ""
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                numbered += "$\(index)"
            } else {
                numbered.append(character)
            }
        }
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .text(let text): binds.append(text)
            case .int(let int): binds.append(int)
            case .null: binds.append(Int64?.none)
            }
        }
        return try await tx.rows(PostgresQuery(unsafeSQL: numbered, binds: binds)).map { row in
            ReportRow(cells: try row.map(Self.cell))
        }
    }

    static func cell(_ cell: PostgresCell) throws -> ReportCell {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2: return .int(Int64(try cell.decode(Int16.self)))
        case .int4: return .int(Int64(try cell.decode(Int32.self)))
        case .int8: return .int(try cell.decode(Int64.self))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .numeric: return .text("\(try cell.decode(Decimal.self))")
        default: return .text(try cell.decode(String.self))
        }
    }
}
