import SyncModel
import TributaryTestSupport

/// Random wire messages for the codec tests: every value kind, optional keys present and
/// absent, text with emoji, CJK, control characters, quotes and backslashes.
enum WireJSONSamples {
    static func text(_ rng: inout SeededRandom) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            let value: UInt32
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: value = UInt32.random(in: 0...0x1F, using: &rng)
            case 1: value = [0x22, 0x5C, 0x2F, 0x7F, 0x2028, 0xFEFF, 0x301].randomElement(using: &rng)!
            case 2: value = UInt32.random(in: 0x4E00...0x9FFF, using: &rng)
            case 3: value = UInt32.random(in: 0x1F600...0x1F64F, using: &rng)
            case 4: value = UInt32.random(in: 0xA0...0x7FF, using: &rng)
            case 5: value = UInt32.random(in: 0xE000...0x10FFFF, using: &rng)
            default: value = UInt32.random(in: 0x20...0x7E, using: &rng)
            }
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    static func word(_ rng: inout SeededRandom) -> String {
        rng.chance(0.7) ? ["member", "m-\(Int.random(in: 0..<1000, using: &rng))", "u1", "name", "tags"].randomElement(using: &rng)! : text(&rng)
    }

    static func value(_ rng: inout SeededRandom) -> FieldValue {
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return .null
        case 1: return .bool(rng.chance(0.5))
        case 2: return .int(Int64.random(in: -1_000_000...1_000_000, using: &rng))
        case 3: return .int(rng.chance(0.5) ? Int64.max : Int64.min)
        case 4: return .number(Double(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng)) / 1_000_000)
        case 5: return .number(Double.random(in: -1e14...1e14, using: &rng) * (rng.chance(0.5) ? 1 : 1e-20))
        default: return .string(text(&rng))
        }
    }

    static func version(_ rng: inout SeededRandom) -> Version {
        Version(hlc: HLC(rawValue: rng.next()), site: SiteID(rawValue: rng.next()))
    }

    static func change(_ rng: inout SeededRandom) -> Change {
        Change(
            site: SiteID(rawValue: rng.next()), seq: rng.chance(0.1) ? UInt64.max : UInt64.random(in: 1...100_000, using: &rng),
            hlc: HLC(rawValue: rng.next()), type: word(&rng), id: word(&rng), scope: word(&rng), field: word(&rng),
            element: rng.chance(0.3) ? word(&rng) : nil, value: value(&rng),
            bases: (0..<(rng.chance(0.3) ? Int.random(in: 1...3, using: &rng) : 0)).map { _ in version(&rng) })
    }

    static func record(_ rng: inout SeededRandom) -> SnapshotRecord {
        SnapshotRecord(
            type: word(&rng), id: word(&rng), scope: word(&rng),
            fields: (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                SnapshotField(
                    field: word(&rng), element: rng.chance(0.3) ? word(&rng) : nil,
                    heads: (0..<Int.random(in: 1...3, using: &rng)).map { _ in Head(version: version(&rng), value: value(&rng)) },
                    superseded: (0..<(rng.chance(0.3) ? Int.random(in: 1...3, using: &rng) : 0)).map { _ in version(&rng) })
            })
    }

    static func pushRequest(_ rng: inout SeededRandom, maxChanges: Int = 8) -> PushRequest {
        PushRequest(changes: (0..<Int.random(in: 0...maxChanges, using: &rng)).map { _ in change(&rng) })
    }

    static func pullResponse(_ rng: inout SeededRandom, maxChanges: Int = 8) -> PullResponse {
        PullResponse(
            changes: (0..<Int.random(in: 0...maxChanges, using: &rng)).map { _ in change(&rng) },
            records: (0..<Int.random(in: 0...2, using: &rng)).map { _ in record(&rng) },
            removed: (0..<Int.random(in: 0...2, using: &rng)).map { _ in RecordKey(type: word(&rng), id: word(&rng)) },
            cursor: rng.chance(0.1) ? Int64.max : Int64.random(in: 0...1_000_000, using: &rng), more: rng.chance(0.5),
            hubClock: HLC(rawValue: rng.next()), epoch: rng.chance(0.5) ? HLC(rawValue: rng.next()).hex : nil)
    }

    static func snapshotPage(_ rng: inout SeededRandom, maxRecords: Int = 4) -> SnapshotPage {
        SnapshotPage(
            records: (0..<Int.random(in: 0...maxRecords, using: &rng)).map { _ in record(&rng) },
            next: rng.chance(0.5) ? text(&rng) : nil, cursor: Int64.random(in: 0...1_000_000, using: &rng),
            hubClock: HLC(rawValue: rng.next()), epoch: rng.chance(0.5) ? HLC(rawValue: rng.next()).hex : nil)
    }

    /// `json` with some characters of its strings (keys included) rewritten as `\uXXXX`
    /// escapes (surrogate pairs beyond the BMP) or `\/`: the same value in other text.
    static func reescaped(_ json: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var out: [UInt8] = []
        var inString = false
        var index = 0
        func hex(_ unit: UInt32) -> [UInt8] {
            let digits = Array((rng.chance(0.5) ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
            return Array(#"\u"#.utf8) + [12, 8, 4, 0].map { digits[Int((unit >> $0) & 0xF)] }
        }
        while index < json.count {
            let b = json[index]
            if !inString {
                out.append(b)
                if b == UInt8(ascii: "\"") { inString = true }
                index += 1
                continue
            }
            if b == UInt8(ascii: "\\") {  // an escape already there: keep it whole
                let length = json[index + 1] == UInt8(ascii: "u") ? 6 : 2
                out += json[index..<index + length]
                index += length
                continue
            }
            if b == UInt8(ascii: "\"") {
                out.append(b)
                inString = false
                index += 1
                continue
            }
            let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            let scalar = String(decoding: json[index..<index + length], as: UTF8.self).unicodeScalars.first!
            index += length
            guard rng.chance(0.3) else {
                out += String(scalar).utf8
                continue
            }
            if scalar == "/" {
                out += Array(#"\/"#.utf8)
            } else if scalar.value >= 0x10000 {
                let v = scalar.value - 0x10000
                out += hex(0xD800 + (v >> 10)) + hex(0xDC00 + (v & 0x3FF))
            } else {
                out += hex(scalar.value)
            }
        }
        return out
    }
}
