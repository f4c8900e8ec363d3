import Foundation

/// The first difference between two canonical dumps, record by record, for a failure message.
enum DumpDiff {
    /// A line naming the first record (or conflict) that differs, with both sides' text;
    /// `nil` when the dumps are equal.
    static func firstDifference(expected: [UInt8], actual: [UInt8]) -> String? {
        guard expected != actual else { return nil }
        guard let want = parse(expected), let got = parse(actual) else {
            return "dumps differ and one does not parse: \(String(decoding: actual.prefix(400), as: UTF8.self))"
        }
        let keys = Set(want.records.keys).union(got.records.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for key in keys where want.records[key] != got.records[key] {
            return """
                record \(key):
                      expected \(want.records[key] ?? "(absent)")
                      actual   \(got.records[key] ?? "(absent)")
                """
        }
        let extra = got.conflicts.filter { !want.conflicts.contains($0) }
        let missing = want.conflicts.filter { !got.conflicts.contains($0) }
        return """
            conflicts differ:
                  missing \(missing.first ?? "-")\(missing.count > 1 ? " (+\(missing.count - 1))" : "")
                  extra   \(extra.first ?? "-")\(extra.count > 1 ? " (+\(extra.count - 1))" : "")
            """
    }

    /// Each record's text by `type/id`, and each conflict's text.
    private static func parse(_ dump: [UInt8]) -> (records: [String: String], conflicts: [String])? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(dump)) as? [String: Any],
            let records = object["records"] as? [[String: Any]], let conflicts = object["conflicts"] as? [[String: Any]]
        else { return nil }
        var byKey: [String: String] = [:]
        for record in records {
            let key = "\(record["type"] as? String ?? "?")/\(record["id"] as? String ?? "?")"
            byKey[key] = text(record["fields"] ?? [:])
        }
        return (byKey, conflicts.map(text))
    }

    private static func text(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
