import Foundation
import SyncModel

/// A schema document read from a file, as an IT officer writes it.
enum SchemaFile {
    /// The keys the schema format knows, at each level of the document.
    static let documentKeys: Set<String> = ["name", "version", "types"]
    static let typeKeys: Set<String> = ["description", "scopeField", "alsoScopeFields", "appendOnly", "fields"]
    static let fieldKeys: Set<String> = ["kind", "policy", "values", "ref", "required", "personal", "maxLength", "min", "max"]

    /// Reads and checks the schema in `path`, with the places of keys the format does not know
    /// (a misspelt `maxLenght` would otherwise be ignored without a word).
    ///
    /// - Throws: `not_found` when there is no such file, `schema_invalid` when it is not a
    ///   consistent schema document.
    static func read(_ path: String) throws(SyncError) -> (schema: Schema, unknownKeys: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError(.notFound, "cannot read \(path); give the path of a schema document (JSON)")
        }
        let schema: Schema
        do {
            schema = try JSONDecoder().decode(Schema.self, from: data)
        } catch let error as SyncError {
            throw SyncError(.schemaInvalid, "\(path): \(error.message)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw SyncError(.schemaInvalid, "\(path): \(place(context.codingPath + [key])) is missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw SyncError(.schemaInvalid, "\(path): \(place(context.codingPath)) has the wrong type (\(context.debugDescription))")
        } catch let DecodingError.dataCorrupted(context) {
            throw SyncError(.schemaInvalid, "\(path) is not JSON a schema can be read from: \(context.debugDescription) at \(place(context.codingPath))")
        } catch {
            throw SyncError(.schemaInvalid, "\(path) is not a schema document: \(error)")
        }
        return (schema, unknownKeys(in: data))
    }

    /// Reads and checks the schema in `path` as ``read(_:)`` does, telling the user on stderr
    /// about every key the format does not know (it would be ignored).
    static func readWarningOfUnknownKeys(_ path: String) throws(SyncError) -> Schema {
        let (schema, unknownKeys) = try read(path)
        for key in unknownKeys {
            Console.error("warning: \(path): unknown key \(key) is ignored")
        }
        return schema
    }

    /// `types.member.fields.name`, or `the document` for the top.
    static func place(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "the document" : path.map(\.stringValue).joined(separator: ".")
    }

    /// The unknown keys of a document that decoded as a schema, as `"key" at PLACE`.
    static func unknownKeys(in data: Data) -> [String] {
        guard let document = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return [] }
        var found: [String] = []
        func check(_ object: [String: Any], known: Set<String>, at place: String) {
            for key in object.keys.sorted() where !known.contains(key) {
                found.append("\"\(key)\" at \(place)")
            }
        }
        check(document, known: documentKeys, at: "the document")
        let types = document["types"] as? [String: Any] ?? [:]
        for (typeName, value) in types.sorted(by: { $0.key < $1.key }) {
            guard let type = value as? [String: Any] else { continue }
            check(type, known: typeKeys, at: "types.\(typeName)")
            let fields = type["fields"] as? [String: Any] ?? [:]
            for (fieldName, value) in fields.sorted(by: { $0.key < $1.key }) {
                guard let field = value as? [String: Any] else { continue }
                check(field, known: fieldKeys, at: "types.\(typeName).fields.\(fieldName)")
            }
        }
        return found
    }
}
