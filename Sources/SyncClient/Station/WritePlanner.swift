import Foundation
import SyncModel
import SyncStore
import GRDB

/// Turns a requested write into the local edits that carry it, inside the write's own
/// transaction, refusing what a station must not write: unknown types and fields, values of
/// the wrong kind, writes to deleted records, forward states moving back, creations without
/// a required field, updates of immutable fields and append-only records, and writes
/// outside the station's subtree. Only fields whose value changes become edits.
struct WritePlanner {
    let store: ReplicaStore
    /// The org unit the station is bound to.
    let org: String
    let db: Database
    let context: ValidationContext
    /// What the station may write, from the org tree its replica holds.
    let scope: StationScope

    init(store: ReplicaStore, org: String, db: Database) throws {
        self.store = store
        self.org = org
        self.db = db
        self.context = ValidationContext(wallMillis: store.wallClock.nowMillis())
        self.scope = try store.stationScope(of: org, db)
    }

    var schema: Schema { store.schema }

    /// The edits of a create or update; the id is the request's or a new lowercased UUID.
    func plan(_ request: RecordWrite) throws -> (id: String, edits: [LocalEdit]) {
        let type = request.type
        let recordType = try self.recordType(type)
        let id = request.id ?? UUID().uuidString.lowercased()
        try checkID(id, type: type)
        try checkFieldNames(request)
        let current = try currentRecord(RecordKey(type: type, id: id))
        if let current, current.isDeleted {
            throw SyncError(
                .recordDeleted, "\(type) \(id) is deleted; restore it first (`tributary restore \(type) \(id)`)")
        }
        let isNew = current.map { $0.values.isEmpty && $0.sets.isEmpty } ?? true
        let values = try scalarChanges(request, recordType: recordType, current: current, id: id, isNew: isNew)
        let elements = try elementChanges(request, current: current, id: id)
        if isNew {
            for (name, spec) in recordType.fields.sorted(by: { $0.key < $1.key }) where spec.required {
                guard let value = values[name], value != .null else {
                    throw SyncError(.missingField, "\(type): the field \"\(name)\" is required to create a record")
                }
            }
            if values.isEmpty && elements.isEmpty {
                throw SyncError(.missingField, "\(type): give at least one field to create a record")
            }
        } else if recordType.appendOnly && !(values.isEmpty && elements.isEmpty) {
            throw SyncError(
                .appendOnly,
                "\(type) records are append-only: they are never edited or deleted (write a correcting entry instead)")
        }
        if values.isEmpty && elements.isEmpty { return (id, []) }

        let scope = try resultingScope(of: id, type: type, recordType: recordType, values: values, current: current)
        // The scope field first: a hub takes a new record's changes only from a push that
        // places it, and a push batch may end inside a write (SPEC §10 "Scope").
        let ordered = values.sorted { a, b in
            (a.key == recordType.scopeField) != (b.key == recordType.scopeField) ? a.key == recordType.scopeField : a.key < b.key
        }
        var edits = ordered.map { name, value in
            LocalEdit(key: FieldKey(type: type, id: id, field: name), scope: scope, value: value)
        }
        edits += elements.map { LocalEdit(key: $0, scope: scope, value: .bool($1)) }
        try checkScope(edits)
        return (id, edits)
    }

    /// The record type, or `unknown_type`.
    func recordType(_ type: String) throws -> RecordType {
        try schema.requireType(type)
    }

    func checkID(_ id: String, type: String) throws {
        guard Identifier.isValidID(id) else {
            throw SyncError(.malformedID, "record id \"\(id.prefix(40))\" is not 1–128 characters of A–Z a–z 0–9 - _ . :")
        }
    }

    /// The record as the replica holds it, `nil` when it holds no write of it (asked with a
    /// cached statement first, since most records an import writes are new).
    func currentRecord(_ key: RecordKey) throws -> RecordState? {
        let exists = try db.cachedStatement(sql: "SELECT 1 FROM records WHERE type = ? AND rid = ?")
        guard try Bool.fetchOne(exists, arguments: [key.type, key.id]) != nil else { return nil }
        return try store.record(key, db)
    }

    /// The record as the replica holds it, or `not_found`.
    func existingRecord(type: String, id: String) throws -> RecordState {
        guard let record = try store.record(RecordKey(type: type, id: id), db), !(record.values.isEmpty && record.sets.isEmpty)
        else {
            throw SyncError(.notFound, "there is no \(type) \(id) in this replica")
        }
        return record
    }

    private func checkFieldNames(_ request: RecordWrite) throws {
        let type = request.type
        for name in request.fieldNames.sorted() {
            let spec = try schema.requireField(name, of: type)
            if spec.kind == .set, request.fields[name] != nil {
                throw SyncError(.wrongKind, "\(type).\(name) is a set: add or remove elements (+ELEMENT / -ELEMENT)")
            }
            if spec.kind != .set, request.setChanges[name] != nil || request.exactSets[name] != nil {
                throw SyncError(.wrongKind, "\(type).\(name) is not a set field, so it takes a value, not elements")
            }
        }
    }

    /// The canonical form of a value for a field, with the schema's refusal if it is bad.
    func canonical(_ value: FieldValue, type: String, id: String, field: String, element: String? = nil) throws -> FieldValue {
        let probe = Change(
            site: store.siteID, seq: 1, hlc: HLC(rawValue: 1), type: type, id: id, scope: org, field: field,
            element: element, value: value)
        return try schema.validate(probe, in: context).value
    }

    /// The scalar fields whose value changes, in canonical form.
    private func scalarChanges(
        _ request: RecordWrite, recordType: RecordType, current: RecordState?, id: String, isNew: Bool
    ) throws -> [String: FieldValue] {
        let type = request.type
        var values: [String: FieldValue] = [:]
        for (name, raw) in request.fields.sorted(by: { $0.key < $1.key }) {
            let value = try canonical(raw, type: type, id: id, field: name)
            let spec = recordType.fields[name]!
            let currentValue = current?.fields[name]?.winner.value ?? .null
            if value == currentValue { continue }
            if value == .null && spec.required {
                throw SyncError(.missingField, "\(type).\(name) is required and cannot be cleared")
            }
            let policy = recordType.effectivePolicy(of: name)
            if !isNew && policy == .immutable {
                if recordType.appendOnly {
                    throw SyncError(
                        .appendOnly,
                        "\(type) records are append-only: they are never edited or deleted (write a correcting entry instead)")
                }
                throw SyncError(.immutableField, "\(type).\(name) is written once, at creation, and never changed")
            }
            if policy == .forward, let from = currentValue.stringValue, let to = value.stringValue,
                let fromRank = spec.rank(of: from), let toRank = spec.rank(of: to), toRank < fromRank
            {
                throw SyncError(
                    .backwardState,
                    "\(type).\(name) is \"\(from)\" and only moves forward (\(spec.values.joined(separator: " → "))); it cannot go back to \"\(to)\""
                )
            }
            values[name] = value
        }
        return values
    }

    /// The set elements whose presence changes, in key order.
    private func elementChanges(_ request: RecordWrite, current: RecordState?, id: String) throws -> [(FieldKey, Bool)] {
        var wanted: [String: [String: Bool]] = request.setChanges
        for (name, exact) in request.exactSets {
            let present = Set(current?.setValues[name] ?? [])
            for element in exact where !present.contains(element) { wanted[name, default: [:]][element] = true }
            for element in present where !exact.contains(element) { wanted[name, default: [:]][element] = false }
        }
        var changes: [(FieldKey, Bool)] = []
        for (name, elements) in wanted.sorted(by: { $0.key < $1.key }) {
            for (element, present) in elements.sorted(by: { $0.key < $1.key }) {
                _ = try canonical(.bool(present), type: request.type, id: id, field: name, element: element)
                let isPresent = current?.sets[name]?[element]?.winner.value == .bool(true)
                if isPresent != present {
                    changes.append((FieldKey(type: request.type, id: id, field: name, element: element), present))
                }
            }
        }
        return changes
    }

    /// The org unit the record belongs to once the write is made.
    private func resultingScope(
        of id: String, type: String, recordType: RecordType, values: [String: FieldValue], current: RecordState?
    ) throws -> String {
        guard let scopeField = recordType.scopeField else { return id }
        guard let scope = (values[scopeField] ?? current?.fields[scopeField]?.winner.value)?.stringValue else {
            throw SyncError(.missingField, "\(type): the field \"\(scopeField)\" (its org unit) is required")
        }
        return scope
    }

    /// The org unit an existing record belongs to.
    func scope(of record: RecordState, recordType: RecordType) -> String {
        recordType.place(id: record.key.id, values: record.values).scope
    }
}
