/// Finds a key named twice in one JSON object, which JSON decoders accept silently (keeping
/// one of the values). The text must already be valid JSON.
enum JSONDuplicateKeys {
    /// The first key that an object of `json` names twice, if any (keys compared after their
    /// escapes are read, so `"a"` and `"\u0061"` are the same key).
    static func first(in json: [UInt8]) -> String? {
        // One entry per open container: whether it is an object, its keys, and whether the
        // next string in it is a key.
        var stack: [(object: Bool, keys: Set<String>, expectsKey: Bool)] = []
        var index = 0
        while index < json.count {
            switch json[index] {
            case UInt8(ascii: "{"):
                stack.append((true, [], true))
            case UInt8(ascii: "["):
                stack.append((false, [], false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if stack.last?.object == true { stack[stack.count - 1].expectsKey = true }
            case UInt8(ascii: "\""):
                let (string, end) = readString(json, from: index)
                if stack.last?.object == true, stack[stack.count - 1].expectsKey {
                    guard stack[stack.count - 1].keys.insert(string).inserted else { return string }
                    stack[stack.count - 1].expectsKey = false
                }
                index = end
                continue
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The string starting at the quote at `start`, and the index just past its closing quote.
    static func readString(_ json: [UInt8], from start: Int) -> (String, Int) {
        var scalars = String.UnicodeScalarView()
        var bytes: [UInt8] = []
        var index = start + 1
        var pendingHigh: UInt32?
        func flushBytes() {
            if !bytes.isEmpty { scalars.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars) }
            bytes = []
        }
        while index < json.count, json[index] != UInt8(ascii: "\"") {
            guard json[index] == UInt8(ascii: "\\"), index + 1 < json.count else {
                bytes.append(json[index])
                index += 1
                continue
            }
            flushBytes()
            let escape = json[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "u"):
                let hex = String(decoding: json[index..<min(index + 4, json.count)], as: UTF8.self)
                index += 4
                let unit = UInt32(hex, radix: 16) ?? 0xFFFD
                if (0xD800...0xDBFF).contains(unit) {
                    pendingHigh = unit
                    continue
                }
                if let high = pendingHigh, (0xDC00...0xDFFF).contains(unit) {
                    scalars.append(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)) ?? "\u{FFFD}")
                } else {
                    scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                }
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            default: scalars.append(Unicode.Scalar(escape))
            }
            pendingHigh = nil
        }
        flushBytes()
        return (String(scalars), index + 1)
    }
}
