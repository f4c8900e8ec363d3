public import SyncModel
import Crypto
package import GRDB

extension ReplicaStore {
    /// The digest of each record this replica holds (live and deleted), in canonical order:
    /// SHA-256 of the canonical dump of a replica holding that record alone (SPEC §6). Set
    /// against the hub's (`GET /v1/digest?detail=records`), it names the records that differ.
    public func recordDigests() throws(SyncError) -> [RecordDigest] {
        try read { db in
            var digests: [RecordDigest] = []
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT type, rid, field, elem, hlc, site, value, heads FROM fields ORDER BY type, rid, field, elem")
            var current: RecordState?
            while let row = try cursor.next() {
                let key = RecordKey(type: row[0], id: row[1])
                if current?.key != key {
                    if let record = current { digests.append(recordDigest(record)) }
                    current = RecordState(key: key)
                }
                add(row, to: &current!, offset: 2)
            }
            if let record = current { digests.append(recordDigest(record)) }
            return digests
        }
    }

    /// The digest of one record's canonical dump.
    func recordDigest(_ record: RecordState) -> RecordDigest {
        var dump = CanonicalDump(schema: schema)
        dump.add(record)
        var hasher = SHA256()
        hasher.update(data: dump.drain())
        hasher.update(data: dump.finish())
        return RecordDigest(type: record.key.type, id: record.key.id, digest: hasher.finalize().hex)
    }
}
