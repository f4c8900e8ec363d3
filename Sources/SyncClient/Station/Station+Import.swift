import Logging
public import SyncModel
import SyncStore
import GRDB

/// What an import did.
public struct ImportReport: Hashable, Sendable {
    /// Records read.
    public var records: Int = 0
    /// Records that changed (created or updated).
    public var written: Int = 0
    /// Field changes written to the log.
    public var changes: Int = 0

    /// Creates an empty report.
    public init() {}
}

extension Station {
    /// Writes many records in ONE transaction: either every record is written or, if one is
    /// refused or the process dies, none is. Each record is checked as ``write(_:)`` checks it.
    ///
    /// - Parameters:
    ///   - next: yields the next record to write, `nil` at the end; an error it throws
    ///     aborts the import.
    ///   - progressEvery: how many records between calls of `progress`.
    ///   - progress: told how far the import has got; the records it counts are written
    ///     in the (still open) transaction.
    ///   - label: names the n-th record (1-based) in error messages: `record n` unless the
    ///     caller knows better (the line of a file).
    /// - Throws: ``SyncError`` naming the record that was refused.
    @discardableResult
    public func importRecords(
        progressEvery: Int = 1_000, progress: (ImportReport) -> Void = { _ in },
        label: (Int) -> String = { "record \($0)" },
        next: () throws(SyncError) -> RecordWrite?
    ) throws(SyncError) -> ImportReport {
        let report = try store.write { db in
            var report = ImportReport()
            var batch = ImportBatch()
            let planner = try WritePlanner(store: store, org: org, db: db)
            while let request = try next() {
                report.records += 1
                // A record already in the batch is written first, so that the plan sees it.
                if let id = request.id, batch.records.contains(RecordKey(type: request.type, id: id)) {
                    report.changes += try batch.flush(store, db, label: label)
                }
                let (id, edits): (String, [LocalEdit])
                do {
                    (id, edits) = try planner.plan(request)
                } catch let error as SyncError {
                    throw SyncError(error.code, "\(label(report.records)) (\(request.type)): \(error.message)")
                }
                if !edits.isEmpty {
                    batch.add(edits, for: RecordKey(type: request.type, id: id), record: report.records)
                    report.written += 1
                }
                // Org units decide the scope of the records after them: write them at once.
                if schema.types[request.type]?.scopeField == nil || batch.edits.count >= ImportBatch.size {
                    report.changes += try batch.flush(store, db, label: label)
                }
                if progressEvery > 0, report.records % progressEvery == 0 {
                    report.changes += try batch.flush(store, db, label: label)
                    progress(report)
                }
            }
            report.changes += try batch.flush(store, db, label: label)
            return report
        }
        logger?.info("station.import", metadata: ["import.records": "\(report.records)", "import.changes": "\(report.changes)"])
        return report
    }
}

/// Planned edits of several records, written with one `writeLocal` call: the clock and the
/// sequence number are then read and saved once per batch rather than once per record.
private struct ImportBatch {
    /// The most edits written at once.
    static let size = 2_048
    var edits: [LocalEdit] = []
    var records: Set<RecordKey> = []
    /// The import position of the first record in the batch, for error messages.
    var first: Int?

    mutating func add(_ edits: [LocalEdit], for key: RecordKey, record: Int) {
        self.edits += edits
        records.insert(key)
        first = first ?? record
    }

    /// Writes the batch; returns how many changes were written.
    mutating func flush(_ store: ReplicaStore, _ db: Database, label: (Int) -> String) throws -> Int {
        guard let first, !edits.isEmpty else { return 0 }
        defer { self = ImportBatch() }
        do {
            return try store.writeLocal(edits, db).count
        } catch let error as SyncError {
            let last = first + records.count - 1
            throw SyncError(error.code, "\(first == last ? label(first) : "\(label(first)) to \(label(last))"): \(error.message)")
        }
    }
}
