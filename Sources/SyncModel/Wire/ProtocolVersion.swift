/// The versions every request states in its headers, checked before anything is applied.
public enum WireProtocol {
    /// The protocol version this build speaks.
    public static let version = 1
    /// The header carrying the protocol version.
    public static let versionHeader = "Tributary-Protocol"
    /// The header carrying the schema as `<name>/<version>`, e.g. `county-work/1`.
    public static let schemaHeader = "Tributary-Schema"
    /// The media type of every request and response body.
    public static let contentType = "application/json"

    /// The schema header value for `schema`.
    public static func schemaTag(_ schema: Schema) -> String { "\(schema.name)/\(schema.version)" }

    /// The name and version a schema tag (`<name>/<version>`) states, `nil` when malformed.
    public static func parseSchemaTag(_ tag: some StringProtocol) -> (name: String, version: Int)? {
        guard let slash = tag.lastIndex(of: "/"), let version = Int(tag[tag.index(after: slash)...]), version >= 1 else { return nil }
        let name = String(tag[..<slash])
        return name.isEmpty ? nil : (name, version)
    }

    /// Why a replica stating schema `tag` may not exchange changes with one holding `current`,
    /// or `nil` when it may (SPEC §9): the same name and a version no newer than `current`'s —
    /// every change valid under an older version of a compatible chain is valid under `current`.
    /// A replica with a newer version than its hub's (the hub was restored from a backup?) is
    /// refused: the hub could not validate what it writes.
    public static func schemaRefusal(_ tag: some StringProtocol, current: Schema) -> SyncError? {
        guard let (name, version) = parseSchemaTag(tag), name == current.name, version <= current.version else {
            return SyncError(
                .schemaMismatch,
                "this side holds \(schemaTag(current)); \"\(tag.prefix(60))\" is another schema or a newer version of it — bring the hub's schema up to date (tributary-hub schema apply) or use the right hub")
        }
        return nil
    }
}
