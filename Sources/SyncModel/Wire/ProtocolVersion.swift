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
}
