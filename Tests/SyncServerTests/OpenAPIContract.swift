import Foundation

/// Checks JSON bodies against the schemas of Protocol/openapi.yaml: types, required keys,
/// no keys a schema with properties does not declare (readers must ignore them, but the hub
/// sends none), enums, and `$ref`s — so that the
/// spec and the server cannot drift apart unnoticed.
struct OpenAPIContract: Sendable {
    nonisolated(unsafe) let schemas: [String: Any]

    static let shared: OpenAPIContract = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/openapi.yaml")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let root = MiniYAML.parse(text) as? [String: Any] ?? [:]
        let components = root["components"] as? [String: Any] ?? [:]
        return OpenAPIContract(schemas: components["schemas"] as? [String: Any] ?? [:])
    }()

    /// The problems of `body` against schema `name`; empty when it conforms.
    func problems(_ body: Data, schema name: String) -> [String] {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: body) else {
            return ["the body is not JSON"]
        }
        guard schemas[name] != nil else { return ["openapi.yaml has no schema \(name)"] }
        var problems: [String] = []
        check(json, ["$ref": "#/components/schemas/\(name)"], path: name, &problems)
        return problems
    }

    private func check(_ value: JSONValue, _ schema: [String: Any], path: String, _ problems: inout [String]) {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let target = schemas[name] as? [String: Any] else {
                problems.append("\(path): unknown $ref \(ref)")
                return
            }
            return check(value, target, path: path, &problems)
        }
        let types: [String]
        if let type = schema["type"] as? String { types = [type] } else { types = schema["type"] as? [String] ?? [] }
        if !types.isEmpty, !types.contains(where: { Self.matches(value, $0) }) {
            problems.append("\(path): expected \(types.joined(separator: " or ")), got \(type(of: value))")
            return
        }
        if let allowed = schema["enum"] as? [String], case .string(let string) = value, !allowed.contains(string) {
            problems.append("\(path): \(string) is not one of \(allowed)")
        }
        if case .object(let object) = value, types.contains("object") {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing required \(key)")
            }
            for (key, item) in object {
                if let sub = properties[key] as? [String: Any] {
                    check(item, sub, path: "\(path).\(key)", &problems)
                } else if !properties.isEmpty {
                    // Readers ignore unknown keys (additionalProperties true, SPEC §9), but
                    // this hub sends only the keys its contract lists.
                    problems.append("\(path): undeclared property \(key)")
                }
            }
        }
        if case .array(let array) = value, let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { check(item, items, path: "\(path)[\(index)]", &problems) }
        }
    }

    private static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("null", .null), ("boolean", .bool),
            ("integer", .int), ("number", .int), ("number", .double):
            return true
        default:
            return false
        }
    }
}

/// Any JSON value, decoded without Foundation's number/boolean ambiguity.
enum JSONValue: Decodable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}
