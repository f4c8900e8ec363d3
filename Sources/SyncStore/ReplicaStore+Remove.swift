package import GRDB
public import SyncModel

extension ReplicaStore {
    /// Forgets a record that left this replica's scope: its merged state goes, without a
    /// change being written, so that no one else sees it deleted. Its log entries stay, as
    /// the history of what this replica once held.
    package func removeRecord(_ key: RecordKey, _ db: Database) throws {
        for table in ["fields", "superseded", "records"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE type = ? AND rid = ?", arguments: [key.type, key.id])
        }
        try derivedTables?.refresh([key], db)
    }

    /// Drops the personal fields of a record this replica still sees but no longer owns
    /// (it moved out of the replica's subtree to a unit above it; SPEC §10 "Moves").
    package func redact(_ key: RecordKey, _ db: Database) throws {
        guard let recordType = schema.types[key.type] else { return }
        for (field, spec) in recordType.fields where spec.personal {
            for table in ["fields", "superseded"] {
                try db.execute(
                    sql: "DELETE FROM \(table) WHERE type = ? AND rid = ? AND field = ?", arguments: [key.type, key.id, field])
            }
        }
        try derivedTables?.refresh([key], db)
    }
}
