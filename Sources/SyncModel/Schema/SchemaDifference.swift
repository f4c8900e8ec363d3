/// One difference between a schema and a proposed successor, found by
/// ``Schema/differences(from:)``, with what it means for replicas that hold either version.
///
/// A successor is *compatible* when it differs only by additive and cosmetic changes (SPEC §9):
/// then every change valid under the older version is valid under the newer one, with the same
/// canonical value, and merges the same way.
public struct SchemaDifference: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What a difference means for replicas and the changes they hold.
    public enum Impact: String, Hashable, Sendable, Codable, CaseIterable {
        /// Something new is allowed; everything allowed before still is, and merges the same way.
        case additive
        /// Something allowed before would be refused, merged differently, or seen by other
        /// stations: a replica's answer would depend on the version it holds.
        case breaking
        /// Text for people (a description, the order of enum values): nothing a replica does changes.
        case cosmetic
    }

    /// The part of the schema that differs.
    public enum Aspect: String, Hashable, Sendable, Codable, CaseIterable {
        /// The schema's name.
        case name
        /// The schema's version number.
        case version
        /// Which type is the org unit type, or which of its fields names the parent.
        case orgTree
        /// A record type added or removed.
        case type
        /// A type's description.
        case description
        /// A type's `scopeField`.
        case scopeField
        /// A type's `alsoScopeFields`.
        case alsoScopeFields
        /// A type's `appendOnly` flag.
        case appendOnly
        /// A field added or removed.
        case field
        /// A field's kind.
        case kind
        /// A field's merge policy.
        case policy
        /// An enum field's values or a forward field's states.
        case values
        /// The record type a `ref` or `set` field refers to.
        case ref
        /// Whether a field is required at creation.
        case required
        /// Whether a field is personal data.
        case personal
        /// A string or text field's `maxLength`.
        case maxLength
        /// An int or number field's `min` and `max`.
        case range
    }

    /// The record type concerned, or `nil` for the schema as a whole.
    public var type: String?
    /// The field concerned, or `nil` for the type as a whole.
    public var field: String?
    /// What differs.
    public var aspect: Aspect
    /// What it means.
    public var impact: Impact
    /// The difference for people, naming the place, e.g. "new optional field member.onlineGroup (string)".
    public var sentence: String

    /// Creates a difference.
    public init(type: String? = nil, field: String? = nil, aspect: Aspect, impact: Impact, sentence: String) {
        self.type = type
        self.field = field
        self.aspect = aspect
        self.impact = impact
        self.sentence = sentence
    }

    /// Where the difference lies: `schema`, `TYPE` or `TYPE.FIELD`.
    public var place: String {
        switch (type, field) {
        case (let type?, let field?): "\(type).\(field)"
        case (let type?, nil): type
        default: "schema"
        }
    }

    /// `impact  sentence`, as `tributary-hub schema check` prints it.
    public var description: String { "\(impact.rawValue): \(sentence)" }
}
