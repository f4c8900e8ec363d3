// How each hot wire message reads and writes itself with ``WireJSON``: the same keys, the
// same optional keys and the same null handling as its `Codable` conformance.

extension WireJSONReader {
    /// Reads an object: `member` is called with each key and reads (or skips) its value;
    /// errors inside a member name its key. A repeated key is skipped after its first use,
    /// as in Foundation.
    @inline(__always) mutating func object(
        _ member: (inout WireJSONReader, Key) throws(WireJSONError) -> Bool
    ) throws(WireJSONError) {
        try beginObject()
        var started = false
        while let key = try nextKey(&started) {
            do {
                if try !member(&self, key) { try skipValue() }
            } catch {
                // Only known keys reach here with a shape error: schema words, not data.
                guard error.kind.isShapeError else { throw error }
                throw error.within("." + key.text)
            }
        }
    }
}

/// Which keys an object held, to know what is missing and to skip repeated keys.
private struct Seen {
    var bits: UInt32 = 0

    /// Marks `bit`; `false` if it was already marked (a repeated key, skipped).
    @inline(__always) mutating func first(_ bit: UInt32) -> Bool {
        defer { bits |= 1 << bit }
        return bits & (1 << bit) == 0
    }

    func has(_ bit: UInt32) -> Bool { bits & (1 << bit) != 0 }
}

/// A required value, or the error naming the missing key.
@inline(__always) private func required<T>(_ value: T?, _ key: String, _ reader: WireJSONReader) throws(WireJSONError) -> T {
    guard let value else { throw WireJSONError(.missingKey(key), at: reader.index) }
    return value
}

extension Change: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> Change {
        var site: UInt64?, seq: UInt64?, hlc: UInt64?
        var type: String?, id: String?, scope: String?, field: String?, element: String?
        var value = FieldValue.null
        var bases: [Version] = []
        var seen = Seen()
        try reader.object { (r, key) throws(WireJSONError) in
            if key == "site" {
                guard seen.first(0) else { return false }
                site = try r.readHex16()
            } else if key == "seq" {
                guard seen.first(1) else { return false }
                seq = try r.readUInt64()
            } else if key == "hlc" {
                guard seen.first(2) else { return false }
                hlc = try r.readHex16()
            } else if key == "type" {
                guard seen.first(3) else { return false }
                type = try r.readString()
            } else if key == "id" {
                guard seen.first(4) else { return false }
                id = try r.readString()
            } else if key == "scope" {
                guard seen.first(5) else { return false }
                scope = try r.readString()
            } else if key == "field" {
                guard seen.first(6) else { return false }
                field = try r.readString()
            } else if key == "elem" {
                guard seen.first(7) else { return false }
                element = try r.readNull() ? nil : r.readString()
            } else if key == "value" {
                guard seen.first(8) else { return false }
                value = try r.readFieldValue()
            } else if key == "bases" {
                guard seen.first(9) else { return false }
                bases = try r.readNull() ? [] : r.array { (r) throws(WireJSONError) in try r.readVersion() }
            } else {
                return false
            }
            return true
        }
        return try Change(
            site: SiteID(rawValue: required(site, "site", reader)), seq: required(seq, "seq", reader),
            hlc: HLC(rawValue: required(hlc, "hlc", reader)), type: required(type, "type", reader),
            id: required(id, "id", reader), scope: required(scope, "scope", reader),
            field: required(field, "field", reader), element: element, value: value, bases: bases)
    }

    public func write(to w: inout WireJSONWriter) {
        w.raw(#"{"site":"#)
        w.hex16(site.rawValue)
        w.raw(#","seq":"#)
        w.integer(seq)
        w.raw(#","hlc":"#)
        w.hex16(hlc.rawValue)
        w.raw(#","type":"#)
        w.string(type)
        w.raw(#","id":"#)
        w.string(id)
        w.raw(#","scope":"#)
        w.string(scope)
        w.raw(#","field":"#)
        w.string(field)
        if let element {
            w.raw(#","elem":"#)
            w.string(element)
        }
        w.raw(#","value":"#)
        w.value(value)
        if !bases.isEmpty {
            w.raw(#","bases":"#)
            w.array(bases) { $0.version($1) }
        }
        w.byte(UInt8(ascii: "}"))
    }

    public var estimatedWireSize: Int { 224 }
}

extension RecordKey: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> RecordKey {
        var type: String?, id: String?
        var seen = Seen()
        try reader.object { (r, key) throws(WireJSONError) in
            if key == "type", seen.first(0) {
                type = try r.readString()
            } else if key == "id", seen.first(1) {
                id = try r.readString()
            } else {
                return false
            }
            return true
        }
        return try RecordKey(type: required(type, "type", reader), id: required(id, "id", reader))
    }

    public func write(to w: inout WireJSONWriter) {
        w.raw(#"{"type":"#)
        w.string(type)
        w.raw(#","id":"#)
        w.string(id)
        w.byte(UInt8(ascii: "}"))
    }
}

extension Head: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> Head {
        var version: Version?, value: FieldValue?
        var seen = Seen()
        try reader.object { (r, key) throws(WireJSONError) in
            if key == "version", seen.first(0) {
                version = try r.readVersion()
            } else if key == "value", seen.first(1) {
                value = try r.readFieldValue()
            } else {
                return false
            }
            return true
        }
        return try Head(version: required(version, "version", reader), value: required(value, "value", reader))
    }

    public func write(to w: inout WireJSONWriter) {
        w.raw(#"{"version":"#)
        w.version(version)
        w.raw(#","value":"#)
        w.value(value)
        w.byte(UInt8(ascii: "}"))
    }
}

extension SnapshotField: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> SnapshotField {
        var field: String?, element: String?, heads: [Head]?
        var superseded: [Version] = []
        var seen = Seen()
        try reader.object { (r, key) throws(WireJSONError) in
            if key == "field", seen.first(0) {
                field = try r.readString()
            } else if key == "elem", seen.first(1) {
                element = try r.readNull() ? nil : r.readString()
            } else if key == "heads", seen.first(2) {
                heads = try r.array { (r) throws(WireJSONError) in try Head.read(from: &r) }
            } else if key == "superseded", seen.first(3) {
                superseded = try r.readNull() ? [] : r.array { (r) throws(WireJSONError) in try r.readVersion() }
            } else {
                return false
            }
            return true
        }
        return try SnapshotField(
            field: required(field, "field", reader), element: element, heads: required(heads, "heads", reader),
            superseded: superseded)
    }

    public func write(to w: inout WireJSONWriter) {
        w.raw(#"{"field":"#)
        w.string(field)
        if let element {
            w.raw(#","elem":"#)
            w.string(element)
        }
        w.raw(#","heads":"#)
        w.array(heads) { $1.write(to: &$0) }
        if !superseded.isEmpty {
            w.raw(#","superseded":"#)
            w.array(superseded) { $0.version($1) }
        }
        w.byte(UInt8(ascii: "}"))
    }
}

extension SnapshotRecord: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> SnapshotRecord {
        var type: String?, id: String?, scope: String?, fields: [SnapshotField]?
        var seen = Seen()
        try reader.object { (r, key) throws(WireJSONError) in
            if key == "type", seen.first(0) {
                type = try r.readString()
            } else if key == "id", seen.first(1) {
                id = try r.readString()
            } else if key == "scope", seen.first(2) {
                scope = try r.readString()
            } else if key == "fields", seen.first(3) {
                fields = try r.array { (r) throws(WireJSONError) in try SnapshotField.read(from: &r) }
            } else {
                return false
            }
            return true
        }
        return try SnapshotRecord(
            type: required(type, "type", reader), id: required(id, "id", reader), scope: required(scope, "scope", reader),
            fields: required(fields, "fields", reader))
    }

    public func write(to w: inout WireJSONWriter) {
        w.raw(#"{"type":"#)
        w.string(type)
        w.raw(#","id":"#)
        w.string(id)
        w.raw(#","scope":"#)
        w.string(scope)
        w.raw(#","fields":"#)
        w.array(fields) { $1.write(to: &$0) }
        w.byte(UInt8(ascii: "}"))
    }

    public var estimatedWireSize: Int { 96 + fields.count * 128 }
}

extension PushRequest: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> PushRequest {
        var changes: [Change]?
        try reader.object { (r, key) throws(WireJSONError) in
            guard key == "changes", changes == nil else { return false }
            changes = try r.array { (r) throws(WireJSONError) in try Change.read(from: &r) }
            return true
        }
        return try PushRequest(changes: required(changes, "changes", reader))
    }

    public func write(to w: inout WireJSONWriter) {
        w.raw(#"{"changes":"#)
        w.array(changes) { $1.write(to: &$0) }
        w.byte(UInt8(ascii: "}"))
    }

    public var estimatedWireSize: Int { 16 + changes.count * 224 }
}

extension PullResponse: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> PullResponse {
        var changes: [Change]?, records: [SnapshotRecord]?, removed: [RecordKey]?
        var cursor: Int64?, more: Bool?, hubClock: UInt64?
        var seen = Seen()
        try reader.object { (r, key) throws(WireJSONError) in
            if key == "changes", seen.first(0) {
                changes = try r.array { (r) throws(WireJSONError) in try Change.read(from: &r) }
            } else if key == "records", seen.first(1) {
                records = try r.array { (r) throws(WireJSONError) in try SnapshotRecord.read(from: &r) }
            } else if key == "removed", seen.first(2) {
                removed = try r.array { (r) throws(WireJSONError) in try RecordKey.read(from: &r) }
            } else if key == "cursor", seen.first(3) {
                cursor = try r.readInt64()
            } else if key == "more", seen.first(4) {
                more = try r.readBool()
            } else if key == "hubClock", seen.first(5) {
                hubClock = try r.readHex16()
            } else {
                return false
            }
            return true
        }
        return try PullResponse(
            changes: required(changes, "changes", reader), records: required(records, "records", reader),
            removed: required(removed, "removed", reader), cursor: required(cursor, "cursor", reader),
            more: required(more, "more", reader), hubClock: HLC(rawValue: required(hubClock, "hubClock", reader)))
    }

    public func write(to w: inout WireJSONWriter) {
        w.raw(#"{"changes":"#)
        w.array(changes) { $1.write(to: &$0) }
        w.raw(#","records":"#)
        w.array(records) { $1.write(to: &$0) }
        w.raw(#","removed":"#)
        w.array(removed) { $1.write(to: &$0) }
        w.raw(#","cursor":"#)
        w.integer(cursor)
        w.raw(#","more":"#)
        w.bool(more)
        w.raw(#","hubClock":"#)
        w.hex16(hubClock.rawValue)
        w.byte(UInt8(ascii: "}"))
    }

    public var estimatedWireSize: Int {
        96 + changes.count * 224 + records.reduce(0) { $0 + $1.estimatedWireSize } + removed.count * 48
    }
}

extension SnapshotPage: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> SnapshotPage {
        var records: [SnapshotRecord]?, next: String?, cursor: Int64?, hubClock: UInt64?
        var seen = Seen()
        try reader.object { (r, key) throws(WireJSONError) in
            if key == "records", seen.first(0) {
                records = try r.array { (r) throws(WireJSONError) in try SnapshotRecord.read(from: &r) }
            } else if key == "next", seen.first(1) {
                next = try r.readNull() ? nil : r.readString()
            } else if key == "cursor", seen.first(2) {
                cursor = try r.readInt64()
            } else if key == "hubClock", seen.first(3) {
                hubClock = try r.readHex16()
            } else {
                return false
            }
            return true
        }
        return try SnapshotPage(
            records: required(records, "records", reader), next: next, cursor: required(cursor, "cursor", reader),
            hubClock: HLC(rawValue: required(hubClock, "hubClock", reader)))
    }

    public func write(to w: inout WireJSONWriter) {
        w.raw(#"{"records":"#)
        w.array(records) { $1.write(to: &$0) }
        if let next {
            w.raw(#","next":"#)
            w.string(next)
        }
        w.raw(#","cursor":"#)
        w.integer(cursor)
        w.raw(#","hubClock":"#)
        w.hex16(hubClock.rawValue)
        w.byte(UInt8(ascii: "}"))
    }

    public var estimatedWireSize: Int { 96 + records.reduce(0) { $0 + $1.estimatedWireSize } }
}
