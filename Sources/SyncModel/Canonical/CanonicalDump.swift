/// Builds the canonical dump of a replica: the stable JSON text of every record it holds
/// (live and deleted) and every open conflict. Two replicas that hold the same set of
/// changes produce the same bytes; the SHA-256 of them is the replica's state digest.
///
/// The text is `{"records":[…],"conflicts":[…]}`: records in (type, id) UTF-8 order, each
/// `{"fields":{name:{"value":…,"version":…}},"id":…,"type":…}` with field names in UTF-8
/// order (a set field's value is the sorted array of its present elements and its version
/// the greatest of its elements'), then conflicts in (type, id, field, element, version)
/// order. Every object below the top level has sorted keys (the top level is `records`
/// then `conflicts`); see ``CanonicalJSON`` for the rest.
///
/// Records must be added in canonical order. The builder can hand out its bytes in chunks
/// (``drain()``) so that a large replica is hashed without holding the whole text.
public struct CanonicalDump: Sendable {
    private let schema: Schema
    private var buffer: [UInt8] = Array(#"{"records":["#.utf8)
    private var conflicts: [Conflict] = []
    private var recordCount = 0

    /// Creates an empty dump for replicas of `schema`.
    public init(schema: Schema) {
        self.schema = schema
    }

    /// The number of records added so far.
    public var count: Int { recordCount }

    /// Appends one record (and collects its conflicts).
    public mutating func add(_ record: RecordState) {
        if recordCount > 0 { buffer.append(UInt8(ascii: ",")) }
        recordCount += 1
        let recordType = schema.types[record.key.type]
        conflicts += record.conflicts { recordType?.effectivePolicy(of: $0) }

        var entries: [(name: String, value: [UInt8], version: Version)] = []
        for (name, state) in record.fields {
            var value: [UInt8] = []
            CanonicalJSON.write(state.winner.value, to: &value)
            entries.append((name, value, state.winner.version))
        }
        for (name, elements) in record.sets {
            let present = elements.filter { $0.value.winner.value == .bool(true) }.keys.sorted { $0.utf8Ordered < $1.utf8Ordered }
            var value: [UInt8] = [UInt8(ascii: "[")]
            for (index, element) in present.enumerated() {
                if index > 0 { value.append(UInt8(ascii: ",")) }
                CanonicalJSON.write(string: element, to: &value)
            }
            value.append(UInt8(ascii: "]"))
            let version = elements.values.map(\.winner.version).max()!
            entries.append((name, value, version))
        }
        entries.sort { $0.name.utf8Ordered < $1.name.utf8Ordered }

        buffer.append(contentsOf: #"{"fields":{"#.utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            CanonicalJSON.write(string: entry.name, to: &buffer)
            buffer.append(contentsOf: #":{"value":"#.utf8)
            buffer.append(contentsOf: entry.value)
            buffer.append(contentsOf: #","version":""#.utf8)
            buffer.append(contentsOf: entry.version.text.utf8)
            buffer.append(contentsOf: "\"}".utf8)
        }
        buffer.append(contentsOf: #"},"id":"#.utf8)
        CanonicalJSON.write(string: record.key.id, to: &buffer)
        buffer.append(contentsOf: #","type":"#.utf8)
        CanonicalJSON.write(string: record.key.type, to: &buffer)
        buffer.append(UInt8(ascii: "}"))
    }

    /// Takes the bytes built so far, leaving the builder empty but able to go on.
    public mutating func drain() -> [UInt8] {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }

    /// Ends the dump and returns the remaining bytes.
    public mutating func finish() -> [UInt8] {
        buffer.append(contentsOf: #"],"conflicts":["#.utf8)
        for (index, conflict) in conflicts.sorted().enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            Self.write(conflict, to: &buffer)
        }
        buffer.append(contentsOf: "]}".utf8)
        return drain()
    }

    /// Appends one conflict object with sorted keys.
    public static func write(_ conflict: Conflict, to out: inout [UInt8]) {
        if let element = conflict.element {
            out.append(contentsOf: #"{"elem":"#.utf8)
            CanonicalJSON.write(string: element, to: &out)
            out.append(contentsOf: #","field":"#.utf8)
        } else {
            out.append(contentsOf: #"{"field":"#.utf8)
        }
        CanonicalJSON.write(string: conflict.field, to: &out)
        out.append(contentsOf: #","id":"#.utf8)
        CanonicalJSON.write(string: conflict.id, to: &out)
        out.append(contentsOf: #","kind":"#.utf8)
        CanonicalJSON.write(string: conflict.kind.rawValue, to: &out)
        out.append(contentsOf: #","type":"#.utf8)
        CanonicalJSON.write(string: conflict.type, to: &out)
        out.append(contentsOf: #","value":"#.utf8)
        CanonicalJSON.write(conflict.value, to: &out)
        out.append(contentsOf: #","version":""#.utf8)
        out.append(contentsOf: conflict.version.text.utf8)
        out.append(contentsOf: #"","winner":""#.utf8)
        out.append(contentsOf: conflict.winner.text.utf8)
        out.append(contentsOf: "\"}".utf8)
    }
}
