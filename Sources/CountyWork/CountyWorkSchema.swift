import Foundation
public import SyncModel

/// The default schema of Tributary, `county-work`: the record types of county-wide community
/// work described in DOMAIN.md, with their fields and merge policies. The document itself,
/// ``json``, is generated into DefaultSchema.swift by Scripts/embed-schema.sh.
public enum CountyWorkSchema {
    /// Decodes ``json`` into a checked ``Schema``.
    ///
    /// - Throws: ``SyncError`` with code `schema_invalid` when the document is not a
    ///   consistent schema (the tests make sure it is).
    public static func load() throws(SyncError) -> Schema {
        do {
            return try JSONDecoder().decode(Schema.self, from: Data(json.utf8))
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError(.schemaInvalid, "the county-work schema is not a schema document: \(error)")
        }
    }
}
