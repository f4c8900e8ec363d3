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
}
