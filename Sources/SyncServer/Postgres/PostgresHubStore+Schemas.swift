public import SyncModel
import Foundation
import PostgresNIO
import SyncStore

extension PostgresHubStore {
    public func schemas() async throws -> [Schema] {
        try await read { tx in try await Self.schemaHistory(tx) }
    }

    public func applySchema(_ schema: Schema) async throws -> Schema {
        let applied = now
        let document = String(decoding: try JSONEncoder().encode(schema), as: UTF8.self)
        try await write { tx in
            // One apply at a time across hub processes: the check and the insert see the same current.
            try await tx.execute("LOCK TABLE schemas IN SHARE ROW EXCLUSIVE MODE")
            guard let current = try await Self.schemaHistory(tx).last else {
                throw SyncError(.storeInvalid, "the hub holds no schema; open it once with this version of tributary-hub")
            }
            try schema.checkCompatibleSuccessor(of: current)
            try await tx.execute(
                "INSERT INTO schemas (version, name, document, applied) VALUES (\(schema.version), \(schema.name), \(document), \(Int64(applied)))")
        }
        schemaBox.set(schema)
        return schema
    }

    public func currentSchema() async throws -> Schema {
        try await read { tx in try await self.refreshSchema(tx) }
    }

    /// Takes the newest schema stored, when another process (or `tributary-hub schema apply`)
    /// stored one since this store last looked: one indexed read per request.
    @discardableResult
    func refreshSchema(_ tx: PostgresTransaction) async throws -> Schema {
        let known = schemaBox.schema
        guard let newest = try await tx.rows("SELECT version, name FROM schemas ORDER BY version DESC LIMIT 1").first else { return known }
        let (version, name) = try newest.decode((Int32, String).self)
        guard Int(version) != known.version || name != known.name else { return known }
        guard let current = try await Self.schemaHistory(tx).last else { return known }
        schemaBox.set(current)
        return current
    }

    /// Every stored version of the schema, oldest first.
    static func schemaHistory(_ tx: PostgresTransaction) async throws -> [Schema] {
        try await tx.rows("SELECT document FROM schemas ORDER BY version").map { row in
            let document = try row.decode(String.self)
            guard let schema = try? JSONDecoder().decode(Schema.self, from: Data(document.utf8)) else {
                throw SyncError(.storeInvalid, "a schema stored in the hub database cannot be read; restore the hub from a backup")
            }
            return schema
        }
    }
}
