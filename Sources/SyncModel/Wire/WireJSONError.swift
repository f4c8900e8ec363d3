/// Why a body could not be read: what went wrong and where (a path like `.changes[3].hlc`
/// and the byte offset), never the offending value.
public struct WireJSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// The bytes are not valid JSON (or not UTF-8) at ``WireJSONError/offset``.
        case malformedJSON
        /// Arrays and objects nest deeper than ``WireJSON/maxDepth``.
        case tooDeep
        /// A required key is absent.
        case missingKey(String)
        /// A required value is `null`.
        case missingValue
        /// The value has the wrong JSON type.
        case wrongType
        /// The value has the right type but not an acceptable form (a malformed clock,
        /// a negative or fractional `seq`, a number out of range).
        case malformedValue

        /// Whether this is about the shape of valid JSON rather than its syntax.
        var isShapeError: Bool {
            switch self {
            case .malformedJSON, .tooDeep: false
            case .missingKey, .missingValue, .wrongType, .malformedValue: true
            }
        }
    }

    /// What went wrong.
    public var kind: Kind
    /// The byte offset in the body where it was noticed.
    public var offset: Int
    /// Where in the message, e.g. `.changes[3].hlc`; empty at the top level.
    public var path: String { components.reversed().joined() }

    /// The path components, innermost first (errors gain them as they leave each level).
    private var components: [String] = []

    init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// The error as seen from one level up: `component` is `.key` or `[index]`.
    func within(_ component: String) -> WireJSONError {
        var copy = self
        copy.components.append(component)
        return copy
    }

    /// The error as seen from one level up, inside the array element `index`.
    func within(index: Int) -> WireJSONError { within("[\(index)]") }

    /// The error in a sentence, e.g. `missing "hlc" at .changes[3]`.
    public var description: String {
        let place = path.isEmpty ? "at the top level" : "at \(path)"
        switch kind {
        case .malformedJSON: return "malformed JSON at byte \(offset)"
        case .tooDeep: return "JSON nested deeper than \(WireJSON.maxDepth) levels at byte \(offset)"
        case .missingKey(let key): return "missing \"\(key)\" \(place)"
        case .missingValue: return "missing value \(place)"
        case .wrongType: return "wrong type \(place)"
        case .malformedValue: return "malformed value \(place)"
        }
    }
}
