public import SyncModel

/// A station as the hub's bundle import and export need it: the station, the SHA-256 of its
/// token (the key of the hub's bundles for it) and the public key of its own bundles.
public struct BundleStation: Hashable, Sendable {
    /// The station.
    public var station: HubStation
    /// The SHA-256 of its token, hex.
    public var tokenHash: String
    /// The Ed25519 public key its bundles are signed with (hex); `nil` for a token issued
    /// before bundles existed.
    public var publicKey: String?
    /// The pull cursor the station reported in the last bundle the hub imported from it.
    public var cursor: Int64?
    /// The log epoch of ``cursor``.
    public var cursorEpoch: String?
    /// Whether the hub has imported a bundle from this station.
    public var reported: Bool

    /// Creates a value.
    public init(
        station: HubStation, tokenHash: String, publicKey: String?, cursor: Int64? = nil, cursorEpoch: String? = nil,
        reported: Bool = false
    ) {
        self.station = station
        self.tokenHash = tokenHash
        self.publicKey = publicKey
        self.cursor = cursor
        self.cursorEpoch = cursorEpoch
        self.reported = reported
    }
}

/// What a backup wrote.
public struct BackupReport: Hashable, Sendable, Codable {
    /// The backup file.
    public var path: String
    /// Its size in bytes.
    public var bytes: Int64
    /// The hub's last log position in the copy.
    public var cursor: Int64
    /// The hub's epoch when the copy was taken.
    public var epoch: String?
    /// The epoch the copy carries (a hub started from it runs in this epoch).
    public var backupEpoch: String

    /// Creates a report.
    public init(path: String, bytes: Int64, cursor: Int64, epoch: String?, backupEpoch: String) {
        self.path = path
        self.bytes = bytes
        self.cursor = cursor
        self.epoch = epoch
        self.backupEpoch = backupEpoch
    }
}

/// What a restore did.
public struct RestoreReport: Hashable, Sendable, Codable {
    /// The hub file written.
    public var path: String
    /// Where the file it replaced was moved, if there was one.
    public var replacedMovedTo: String?
    /// The last log position of the restored hub.
    public var cursor: Int64
    /// The new log epoch.
    public var epoch: String
    /// Stations registered in the restored file.
    public var stations: Int

    /// Creates a report.
    public init(path: String, replacedMovedTo: String?, cursor: Int64, epoch: String, stations: Int) {
        self.path = path
        self.replacedMovedTo = replacedMovedTo
        self.cursor = cursor
        self.epoch = epoch
        self.stations = stations
    }
}
