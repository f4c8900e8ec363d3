public import SyncModel
import Foundation
import SyncStore
import GRDB

extension SQLiteHubStore {
    public func schemas() async throws -> [Schema] {
        try await read { db in try Self.schemaHistory(db) }
    }

    public func applySchema(_ schema: Schema) async throws -> Schema {
        let applied = now
        let document = String(decoding: try JSONEncoder().encode(schema), as: UTF8.self)
        try await write { db in
            guard let current = try Self.schemaHistory(db).last else {
                throw SyncError(.storeInvalid, "the hub holds no schema; open it once with this version of tributary-hub")
            }
            try schema.checkCompatibleSuccessor(of: current)
            try db.execute(
                sql: "INSERT INTO schemas (version, name, document, applied) VALUES (?, ?, ?, ?)",
                arguments: [schema.version, schema.name, document, Int64(applied)])
        }
        replica.adopted(schema)
        return schema
    }

    /// Takes the newest schema of the hub file as the one changes are checked against, after
    /// storing `default` as the first version of a hub that holds none yet (a new hub, or one
    /// made before schemas were data). Called when the store opens.
    func loadSchemas(seeding first: Schema?) throws(SyncError) {
        if let first {
            let document = String(decoding: (try? JSONEncoder().encode(first)) ?? Data(), as: UTF8.self)
            let applied = now
            try replica.write { db in
                guard try Int.fetchOne(db, sql: "SELECT count(*) FROM schemas") == 0 else { return }
                try db.execute(
                    sql: "INSERT INTO schemas (version, name, document, applied) VALUES (?, ?, ?, ?)",
                    arguments: [first.version, first.name, document, Int64(applied)])
            }
        }
        try replica.read { db in try refreshSchema(db) }
    }

    /// Takes the newest schema stored, when another process (or `tributary-hub schema apply`)
    /// stored one since this store last looked: one indexed read per request.
    func refreshSchema(_ db: Database) throws {
        let held = schema
        guard let newest = try Row.fetchOne(db, sql: "SELECT version, name FROM schemas ORDER BY version DESC LIMIT 1"),
            newest[0] as Int != held.version || newest[1] as String != held.name,
            let current = try Self.schemaHistory(db).last
        else { return }
        replica.adopted(current)
    }

    public func currentSchema() async throws -> Schema {
        try await read { db in try self.refreshSchema(db) }
        return schema
    }

    /// Every stored version of the schema, oldest first.
    static func schemaHistory(_ db: Database) throws -> [Schema] {
        try String.fetchAll(db, sql: "SELECT document FROM schemas ORDER BY version").map { document in
            guard let schema = try? JSONDecoder().decode(Schema.self, from: Data(document.utf8)) else {
                throw SyncError(.storeInvalid, "a schema stored in the hub file cannot be read; restore the hub from a backup")
            }
            return schema
        }
    }
}
