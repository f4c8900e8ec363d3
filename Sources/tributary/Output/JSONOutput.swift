import Foundation
import SyncModel

/// Machine output: one JSON document on stdout, keys sorted.
enum JSONOutput {
    /// Prints `value` as one pretty-printed JSON document.
    static func print(_ value: some Encodable) throws(SyncError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            Console.json(String(decoding: try encoder.encode(value), as: UTF8.self))
        } catch {
            throw SyncError(.invalidValue, "cannot write JSON output: \(error)")
        }
    }
}
