public import SyncModel
import Foundation
package import GRDB
import Synchronization

extension Meta {
    /// The schema document the replica took last (SPEC §9), as JSON.
    package static let schemaDocument = Meta(key: "schema_document")
}

/// The schema a store checks changes against, shared by every copy of the store, so that a
/// schema taken mid-sync (a replica) or applied by an operator (a hub) is the one the next
/// write is checked with.
package final class SchemaBox: Sendable {
    private let current: Mutex<Schema>

    package init(_ schema: Schema) {
        current = Mutex(schema)
    }

    package var schema: Schema { current.withLock { $0 } }

    package func set(_ schema: Schema) {
        current.withLock { $0 = schema }
    }
}

extension ReplicaStore {
    /// Takes `schema` — a compatible descendant of the replica's (the caller checks) — in the
    /// caller's transaction: it is stored with the replica, and every copy of this store
    /// checks changes with it from then on (call ``adopted(_:)`` once the transaction commits).
    package func adopt(_ schema: Schema, _ db: Database) throws {
        let document = try JSONEncoder().encode(schema)
        try Meta.schemaDocument.write(String(decoding: document, as: UTF8.self), db)
    }

    /// Makes `schema`, stored by ``adopt(_:_:)`` in a transaction that has committed, the one
    /// this store (and every copy of it) checks changes with.
    package func adopted(_ schema: Schema) {
        schemaBox.set(schema)
    }

    /// The schema document stored with the replica, if any (an unreadable one is ignored:
    /// the replica then goes by the schema it was opened with).
    static func storedSchema(_ db: Database) throws -> Schema? {
        guard let text = try Meta.schemaDocument.read(db) else { return nil }
        return try? JSONDecoder().decode(Schema.self, from: Data(text.utf8))
    }

    /// The schema a replica goes by: the one it stored, when it is the same schema at the
    /// same or a later version than the one it is opened with (a newer build's default).
    static func newer(_ held: Schema?, than given: Schema) -> Schema {
        guard let held, held.name == given.name, held.version >= given.version else { return given }
        return held
    }
}
