import Configuration
import Foundation
import SystemPackage
import SyncModel

/// The settings `tributary-hub serve` reads from `TRIBUTARY_HUB_…` variables and the
/// `--config` JSON file (through swift-configuration), checked strictly first: a key the hub
/// does not know, or a value of the wrong type (`"port": "eighty"`), is refused with the key's
/// name rather than silently ignored.
enum ServeSettings {
    /// The JSON type a setting takes.
    enum Kind: String {
        case string = "a string"
        case integer = "a whole number"
        case number = "a number"
        case boolean = "true or false"
    }

    /// Every setting under `hub.`, with its type.
    static let keys: [String: Kind] = [
        "host": .string, "port": .integer, "db": .string, "maxBodyBytes": .integer, "maxDriftSeconds": .integer,
        "logLevel": .string, "rateLimit": .number, "rateBurst": .integer, "failedAuthLimit": .number,
        "failedAuthBurst": .integer, "trustForwardedFor": .boolean, "maxConcurrentSyncs": .integer,
        "headerTimeout": .number, "idleTimeout": .number, "bodyTimeout": .number, "minBodyRate": .integer,
        "maxConnectionsPerAddress": .integer,
    ]

    /// The environment variable of setting `key`: `maxBodyBytes` → `TRIBUTARY_HUB_MAX_BODY_BYTES`.
    static func variable(_ key: String) -> String {
        var name = "TRIBUTARY_HUB_"
        for character in key {
            if character.isUppercase { name += "_" }
            name += character.uppercased()
        }
        return name
    }

    /// Environment variables `TRIBUTARY_HUB_…` over the optional JSON file, each checked.
    static func reader(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> ConfigReader {
        let known = Dictionary(uniqueKeysWithValues: keys.map { (variable($0.key), $0) })
        var variables: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix("TRIBUTARY_HUB_") {
            guard let (_, kind) = known[name] else {
                let names = known.keys.sorted().joined(separator: ", ")
                throw SyncError(.badRequest, "unknown setting \(name) in the environment; the hub reads \(names)")
            }
            guard accepts(text: value, kind) else {
                throw SyncError(.badRequest, "\(name) must be \(kind.rawValue); got \"\(value.prefix(40))\"")
            }
            variables[String(name.dropFirst("TRIBUTARY_".count))] = value
        }
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider(environmentVariables: variables)]
        if let file {
            try check(file: file)
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(file)))
            } catch {
                throw SyncError(.badRequest, "\(file) is not a JSON configuration file: \(error)")
            }
        }
        return ConfigReader(providers: providers)
    }

    /// Checks the `--config` file: one object `{"hub": {…}}` holding only known keys, each of its type.
    static func check(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw SyncError(.notFound, "no configuration file at \(file)")
        }
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw SyncError(.badRequest, "\(file) is not valid JSON: \(error.localizedDescription)")
        }
        guard case .object(let top) = document else {
            throw SyncError(.badRequest, "\(file) must hold one JSON object {\"hub\": {…}}")
        }
        if let name = top.keys.sorted().first(where: { $0 != "hub" }) {
            throw SyncError(.badRequest, "\(file): unknown key \"\(name.prefix(40))\"; settings go under \"hub\"")
        }
        guard let hub = top["hub"] else { return }
        guard case .object(let settings) = hub else {
            throw SyncError(.badRequest, "\(file): \"hub\" must be an object of settings")
        }
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
            guard let kind = keys[name] else {
                throw SyncError(
                    .badRequest, "\(file): unknown key \"hub.\(name.prefix(40))\"; the hub reads \(keys.keys.sorted().map { "hub.\($0)" }.joined(separator: ", "))")
            }
            guard value.is(kind) else {
                throw SyncError(.badRequest, "\(file): \"hub.\(name)\" must be \(kind.rawValue); got \(value.described)")
            }
        }
    }

    /// Whether an environment variable's text is a value of `kind`.
    static func accepts(text: String, _ kind: Kind) -> Bool {
        switch kind {
        case .string: true
        case .integer: Int(text) != nil
        case .number: Double(text) != nil
        case .boolean: ["true", "false", "yes", "no", "1", "0"].contains(text.lowercased())
        }
    }
}

/// A JSON value, to check a configuration file's types before swift-configuration reads it.
enum JSONValue: Decodable {
    case boolean(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case object([String: JSONValue])
    case array([JSONValue])
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    /// Whether the value has the type a setting of `kind` takes.
    func `is`(_ kind: ServeSettings.Kind) -> Bool {
        switch (self, kind) {
        case (.string, .string), (.integer, .integer), (.integer, .number), (.number, .number), (.boolean, .boolean): true
        default: false
        }
    }

    /// The value's type (and a short form of a string) for messages.
    var described: String {
        switch self {
        case .boolean(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "the string \"\(value.prefix(40))\""
        case .object: "an object"
        case .array: "an array"
        case .null: "null"
        }
    }
}
