import SyncModel

/// Who reads a report: an administrator (the whole county) or a station (its own subtree).
public enum ReportViewer: Hashable, Sendable {
    /// An administrator, by admin token id.
    case admin(id: String)
    /// A station, which may read only reports on its own unit's subtree.
    case station(HubStation)

    /// The org unit a report covers when the viewer names none: the root for an admin
    /// (`nil`), the station's own unit for a station.
    public var defaultOrg: String? {
        switch self {
        case .admin: nil
        case .station(let station): station.org
        }
    }

    /// A short id for logs.
    public var id: String {
        switch self {
        case .admin(let id): id
        case .station(let station): station.id
        }
    }

    /// The viewer of a live dashboard session, from what its token belongs to (one rule for
    /// every store): a revoked token ends its sessions at once, an unknown one too.
    ///
    /// - Throws: `token_revoked` or `unauthorized`.
    static func ofSession(admin: AdminToken?, station: HubStation?) throws(SyncError) -> ReportViewer {
        if let admin {
            guard !admin.revoked else { throw SyncError(.tokenRevoked, "admin token \(admin.id) was revoked") }
            return .admin(id: admin.id)
        }
        if let station {
            guard !station.revoked else { throw SyncError(.tokenRevoked, "station \(station.id)'s token was revoked") }
            return .station(station)
        }
        throw SyncError(.unauthorized, "the token this session was opened with is no longer known to the hub")
    }
}
