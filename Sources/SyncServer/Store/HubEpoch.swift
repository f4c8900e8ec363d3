import SyncStore
import GRDB

/// The hub's **log epoch** (Protocol/SPEC.md §14): 16 random hex digits kept in the replica's
/// `meta` table and sent with every pull and snapshot page. A restore from a backup renews it,
/// so that stations learn that cursors and acknowledged seqs of the old epoch no longer hold.
enum HubEpoch {
    /// The `meta` key.
    static let key = Meta(key: "log_epoch")

    /// A fresh epoch.
    static func random() -> String {
        IssuedToken.randomHex(bytes: 8)
    }

    /// The epoch as stored.
    static func read(_ db: Database) throws -> String? {
        try key.read(db)
    }
}
