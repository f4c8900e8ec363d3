public import SyncModel
import Crypto
package import GRDB

extension ReplicaStore {
    /// The canonical dump: every record (live and deleted) and every open conflict, as stable
    /// JSON text (see ``CanonicalDump``).
    public func dump() throws(SyncError) -> [UInt8] {
        var bytes: [UInt8] = []
        try streamDump { bytes += $0 }
        return bytes
    }

    /// The state digest: SHA-256 of the canonical dump, in lowercase hex. Two replicas that
    /// hold the same changes have the same digest.
    public func digest() throws(SyncError) -> String {
        var hasher = SHA256()
        try streamDump { hasher.update(data: $0) }
        return hasher.finalize().hex
    }

    /// Produces the canonical dump in chunks, reading records in canonical order, keeping
    /// only the records `include` accepts (all by default).
    package func streamDump(
        include: (RecordKey, Database) throws -> Bool = { _, _ in true }, _ sink: ([UInt8]) -> Void
    ) throws(SyncError) {
        try read { db in
            var dump = CanonicalDump(schema: schema)
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT type, rid, field, elem, hlc, site, value, heads FROM fields ORDER BY type, rid, field, elem")
            var current: RecordState?
            func flush() throws {
                if let record = current, try include(record.key, db) {
                    dump.add(record)
                    if dump.count % 512 == 0 { sink(dump.drain()) }
                }
                current = nil
            }
            while let row = try cursor.next() {
                let key = RecordKey(type: row[0], id: row[1])
                if current?.key != key {
                    try flush()
                    current = RecordState(key: key)
                }
                add(row, to: &current!, offset: 2)
            }
            try flush()
            sink(dump.finish())
        }
    }
}

extension SHA256.Digest {
    /// Lowercase hexadecimal text of the digest.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
