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
}
