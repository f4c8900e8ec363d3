/// What a Tributary SQLite file is: a station's replica or a hub (SPEC §16 "File kinds and
/// format versions"). Each file says which in SQLite's `application_id` (header bytes 68–71),
/// and its format version is the list of migrations applied to it.
public enum StoreKind: String, Sendable, CaseIterable {
    /// A station's replica (`tributary`).
    case station
    /// A hub's file (`tributary-hub`): a replica plus the hub's tables.
    case hub

    /// The SQLite `application_id` stamped in files of this kind: "TRBS" and "TRBH" in ASCII.
    public var applicationID: Int32 {
        switch self {
        case .station: 0x5452_4253
        case .hub: 0x5452_4248
        }
    }

    /// The kind whose `application_id` is `id`, if any.
    public init?(applicationID id: Int32) {
        guard let kind = Self.allCases.first(where: { $0.applicationID == id }) else { return nil }
        self = kind
    }

    /// The kind a file holding these applied migrations is: a hub's tables make it a hub, the
    /// replica's alone a station (files written before the `application_id` was stamped).
    init?(migrations: Set<String>) {
        if migrations.contains(where: { $0.hasPrefix("hub-") }) {
            self = .hub
        } else if migrations.contains(where: { $0.hasPrefix("replica-") }) {
            self = .station
        } else {
            return nil
        }
    }

    /// What people call a file of this kind.
    public var noun: String {
        switch self {
        case .station: "a station replica"
        case .hub: "a hub file"
        }
    }

    /// The program that works on files of this kind.
    public var program: String {
        switch self {
        case .station: "tributary"
        case .hub: "tributary-hub"
        }
    }
}
