// How the hot messages (push requests, pull responses, snapshot pages) read and write
// themselves with ``WireJSON``: the same keys, the same optional keys and the same null
// handling as their `Codable` conformances.

/// Which keys an object held, to know what is missing and to skip repeated keys.
struct WireJSONSeenKeys {
    var bits: UInt32 = 0

    /// Marks `bit`; `false` if it was already marked (a repeated key, skipped).
    @inline(__always) mutating func first(_ bit: UInt32) -> Bool {
        defer { bits |= 1 << bit }
        return bits & (1 << bit) == 0
    }
}

extension PushRequest: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> PushRequest {
        var changes: [Change]?
        try reader.object { (r, key) throws(WireJSONError) in
            guard key == "changes", changes == nil else { return false }
            changes = try r.array { (r) throws(WireJSONError) in try Change.read(from: &r) }
            return true
        }
        return try PushRequest(changes: reader.required(changes, "changes"))
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
        var changes: [Change]?, records: [SnapshotRecord]?, removed: [RecordKey]?, redacted: [RecordKey]?
        var cursor: Int64?, more: Bool?, hubClock: UInt64?, epoch: String?, schemaVersion: Int64?
        var seen = WireJSONSeenKeys()
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
            } else if key == "epoch", seen.first(6) {
                epoch = try r.readNull() ? nil : r.readString()
            } else if key == "redacted", seen.first(7) {
                redacted = try r.array { (r) throws(WireJSONError) in try RecordKey.read(from: &r) }
            } else if key == "schemaVersion", seen.first(8) {
                schemaVersion = try r.readNull() ? nil : r.readInt64()
            } else {
                return false
            }
            return true
        }
        return try PullResponse(
            changes: reader.required(changes, "changes"), records: reader.required(records, "records"),
            removed: reader.required(removed, "removed"), redacted: redacted ?? [], cursor: reader.required(cursor, "cursor"),
            more: reader.required(more, "more"), hubClock: HLC(rawValue: reader.required(hubClock, "hubClock")), epoch: epoch,
            schemaVersion: schemaVersion.map { Int($0) })
    }

    public func write(to w: inout WireJSONWriter) {
        w.raw(#"{"changes":"#)
        w.array(changes) { $1.write(to: &$0) }
        w.raw(#","records":"#)
        w.array(records) { $1.write(to: &$0) }
        w.raw(#","removed":"#)
        w.array(removed) { $1.write(to: &$0) }
        if !redacted.isEmpty {
            w.raw(#","redacted":"#)
            w.array(redacted) { $1.write(to: &$0) }
        }
        w.raw(#","cursor":"#)
        w.integer(cursor)
        w.raw(#","more":"#)
        w.bool(more)
        w.raw(#","hubClock":"#)
        w.hex16(hubClock.rawValue)
        if let epoch {
            w.raw(#","epoch":"#)
            w.string(epoch)
        }
        if let schemaVersion {
            w.raw(#","schemaVersion":"#)
            w.integer(Int64(schemaVersion))
        }
        w.byte(UInt8(ascii: "}"))
    }

    public var estimatedWireSize: Int {
        96 + changes.count * 224 + records.reduce(0) { $0 + $1.estimatedWireSize } + (removed.count + redacted.count) * 48
    }
}

extension SnapshotPage: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> SnapshotPage {
        var records: [SnapshotRecord]?, next: String?, cursor: Int64?, hubClock: UInt64?, epoch: String?, schemaVersion: Int64?
        var seen = WireJSONSeenKeys()
        try reader.object { (r, key) throws(WireJSONError) in
            if key == "records", seen.first(0) {
                records = try r.array { (r) throws(WireJSONError) in try SnapshotRecord.read(from: &r) }
            } else if key == "next", seen.first(1) {
                next = try r.readNull() ? nil : r.readString()
            } else if key == "cursor", seen.first(2) {
                cursor = try r.readInt64()
            } else if key == "hubClock", seen.first(3) {
                hubClock = try r.readHex16()
            } else if key == "epoch", seen.first(4) {
                epoch = try r.readNull() ? nil : r.readString()
            } else if key == "schemaVersion", seen.first(5) {
                schemaVersion = try r.readNull() ? nil : r.readInt64()
            } else {
                return false
            }
            return true
        }
        return try SnapshotPage(
            records: reader.required(records, "records"), next: next, cursor: reader.required(cursor, "cursor"),
            hubClock: HLC(rawValue: reader.required(hubClock, "hubClock")), epoch: epoch, schemaVersion: schemaVersion.map { Int($0) })
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
        if let epoch {
            w.raw(#","epoch":"#)
            w.string(epoch)
        }
        if let schemaVersion {
            w.raw(#","schemaVersion":"#)
            w.integer(Int64(schemaVersion))
        }
        w.byte(UInt8(ascii: "}"))
    }

    public var estimatedWireSize: Int { 96 + records.reduce(0) { $0 + $1.estimatedWireSize } }
}
