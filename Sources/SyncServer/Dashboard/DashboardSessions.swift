import Synchronization

/// Dashboard sign-ins: a random session id (the cookie's value) mapped to who signed in,
/// kept in memory for ``lifetimeMillis``. A hub restart signs everyone out.
final class DashboardSessions: Sendable {
    /// The session cookie's name.
    static let cookieName = "tributary_session"
    /// The language cookie's name.
    static let languageCookie = "tributary_lang"

    struct Session: Sendable {
        var viewer: ReportViewer
        /// The token signed in with, checked again on every request (revocation is at once).
        var token: String
        var expires: UInt64
    }

    /// How long a sign-in lasts, in milliseconds (12 hours).
    let lifetimeMillis: UInt64
    private let sessions = Mutex<[String: Session]>([:])

    init(lifetimeMillis: UInt64 = 12 * 3_600_000) {
        self.lifetimeMillis = lifetimeMillis
    }

    /// Opens a session for `viewer` and returns its id (32 random bytes in hex).
    func open(_ viewer: ReportViewer, token: String, now: UInt64) -> String {
        let id = IssuedToken.randomHex(bytes: 32)
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            sessions[id] = Session(viewer: viewer, token: token, expires: now + lifetimeMillis)
        }
        return id
    }

    /// A live session.
    func session(_ id: String?, now: UInt64) -> Session? {
        guard let id else { return nil }
        return sessions.withLock { sessions in
            guard let session = sessions[id], session.expires > now else { return nil }
            return session
        }
    }

    /// Ends a session.
    func close(_ id: String?) {
        guard let id else { return }
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
