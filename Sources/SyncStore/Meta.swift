package import GRDB

/// Keys of the replica's `meta` table: small named values kept with the data they describe.
package struct Meta: Sendable {
    /// The key in the `meta` table.
    package let key: String

    /// This replica's site id (hex).
    package static let siteID = Meta(key: "site_id")
    /// The last hybrid logical clock value produced or received (hex).
    package static let clock = Meta(key: "clock")
    /// The next sequence number for a local write.
    package static let nextSeq = Meta(key: "next_seq")

    /// Creates a meta key (other modules keep their own values here too).
    package init(key: String) {
        self.key = key
    }

    /// Reads the value, if set.
    package func read(_ db: Database) throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [key])
    }

    /// Sets the value.
    package func write(_ value: String, _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        try statement.execute(arguments: [key, value])
    }

    /// Removes the value.
    package func delete(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
    }
}
