// How the parts of the hot messages (changes, record keys, heads, snapshot fields and
// records) read and write themselves with ``WireJSON``: the same keys, the same optional keys
// and the same null handling as their `Codable` conformances.

extension Change: WireJSONMessage {
    public static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> Change {
        var site: UInt64?, seq: UInt64?, hlc: UInt64?
        var type: String?, id: String?, scope: String?, field: String?, element: String?
        var value = FieldValue.null
        var bases: [Version] = []
        var seen = WireJSONSeenKeys()
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
            site: SiteID(rawValue: reader.required(site, "site")), seq: reader.required(seq, "seq"),
            hlc: HLC(rawValue: reader.required(hlc, "hlc")), type: reader.required(type, "type"),
            id: reader.required(id, "id"), scope: reader.required(scope, "scope"),
            field: reader.required(field, "field"), element: element, value: value, bases: bases)
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
        var seen = WireJSONSeenKeys()
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
        return try RecordKey(type: reader.required(type, "type"), id: reader.required(id, "id"))
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
        var seen = WireJSONSeenKeys()
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
        return try Head(version: reader.required(version, "version"), value: reader.required(value, "value"))
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
        var seen = WireJSONSeenKeys()
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
            field: reader.required(field, "field"), element: element, heads: reader.required(heads, "heads"),
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
        var seen = WireJSONSeenKeys()
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
            type: reader.required(type, "type"), id: reader.required(id, "id"), scope: reader.required(scope, "scope"),
            fields: reader.required(fields, "fields"))
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
