/// A stable, machine-readable error code. Codes are part of the wire contract: they are
/// listed in Protocol/SPEC.md and never change meaning once shipped.
public struct SyncErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The code as it appears on the wire, e.g. `clock_skew`.
    public var rawValue: String

    /// Creates a code from its wire text.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension SyncErrorCode {
    // MARK: Change validation (per change; a refused change never aborts its batch)

    /// The record type is not in the schema.
    public static let unknownType = SyncErrorCode(rawValue: "unknown_type")
    /// The field is not in the record type's schema.
    public static let unknownField = SyncErrorCode(rawValue: "unknown_field")
    /// The value's JSON type does not match the field's kind.
    public static let wrongKind = SyncErrorCode(rawValue: "wrong_kind")
    /// The value has the right kind but is not allowed (unknown state, bad date, too long).
    public static let invalidValue = SyncErrorCode(rawValue: "invalid_value")
    /// A write with bases (an update) to an immutable field.
    public static let immutableField = SyncErrorCode(rawValue: "immutable_field")
    /// An update or delete of a record of an append-only type.
    public static let appendOnly = SyncErrorCode(rawValue: "append_only")
    /// A record id, org unit id, set element or site id is malformed.
    public static let malformedID = SyncErrorCode(rawValue: "malformed_id")
    /// The change is structurally wrong (missing element of a set field, seq 0, …).
    public static let malformedChange = SyncErrorCode(rawValue: "malformed_change")
    /// The change's clock lies further ahead of the receiver's wall clock than allowed.
    public static let clockSkew = SyncErrorCode(rawValue: "clock_skew")
    /// The writer may not write in this org unit.
    public static let outOfScope = SyncErrorCode(rawValue: "out_of_scope")

    // MARK: Local writes (refused by a station before anything is logged)

    /// The record does not exist.
    public static let notFound = SyncErrorCode(rawValue: "not_found")
    /// The record is deleted; restore it before editing.
    public static let recordDeleted = SyncErrorCode(rawValue: "record_deleted")
    /// A forward-only state may not move back.
    public static let backwardState = SyncErrorCode(rawValue: "backward_state")
    /// A required field is missing at creation.
    public static let missingField = SyncErrorCode(rawValue: "missing_field")
    /// There is no conflict to settle, or the chosen version is not one of the heads.
    public static let noConflict = SyncErrorCode(rawValue: "no_conflict")

    /// A replica's digest differs from the one it was compared with (`tributary digest --hub`).
    public static let digestMismatch = SyncErrorCode(rawValue: "digest_mismatch")

    // MARK: Schema files

    /// A schema document is inconsistent (unknown policy, forward field without states …).
    public static let schemaInvalid = SyncErrorCode(rawValue: "schema_invalid")
    /// A schema offered as the next version is not a compatible successor of the current one
    /// (another name, not the next version, or a breaking difference; SPEC §9).
    public static let schemaIncompatible = SyncErrorCode(rawValue: "schema_incompatible")

    // MARK: Storage

    /// The replica file is locked by another process for longer than the wait allowed.
    public static let busy = SyncErrorCode(rawValue: "busy")
    /// The replica file is not a Tributary replica or is of a newer format.
    public static let storeInvalid = SyncErrorCode(rawValue: "store_invalid")
    /// The disk holding the database is full: nothing of the failed write was kept (HTTP 507).
    public static let diskFull = SyncErrorCode(rawValue: "disk_full")
    /// The database file or its volume is read-only: nothing can be written (HTTP 503).
    public static let readOnly = SyncErrorCode(rawValue: "read_only")
}

extension SyncErrorCode {
    // MARK: Offline bundles (Protocol/SPEC.md §13)

    /// The file is not a Tributary bundle, or its header or content is malformed.
    public static let bundleInvalid = SyncErrorCode(rawValue: "bundle_invalid")
    /// The file ends before the length its header states (copied only in part).
    public static let bundleTruncated = SyncErrorCode(rawValue: "bundle_truncated")
    /// The bundle's format version is not one this program reads.
    public static let bundleVersion = SyncErrorCode(rawValue: "bundle_version")
    /// The content's SHA-256 or the bundle's MAC or signature does not match: it was changed.
    public static let bundleTampered = SyncErrorCode(rawValue: "bundle_tampered")
    /// The bundle was made for another station, by another hub, or for the other direction.
    public static let bundleForeign = SyncErrorCode(rawValue: "bundle_foreign")
    /// The bundle does not continue the hub's log where this station stands.
    public static let bundleGap = SyncErrorCode(rawValue: "bundle_gap")
}
