/// Dashboard sign-ins: a random session id (the cookie's value) standing for whoever signed in,
/// kept in the hub's store (hashed, SPEC §15) for ``lifetimeMillis``, so that a hub restart
/// signs nobody out. Each token keeps at most ``maxPerToken`` sessions (the oldest end).
struct DashboardSessions: Sendable {
    /// The session cookie's name.
    static let cookieName = "tributary_session"
    /// The language cookie's name.
    static let languageCookie = "tributary_lang"

    let store: any HubStore
    /// How long a sign-in lasts, in milliseconds (12 hours).
    var lifetimeMillis: UInt64 = 12 * 3_600_000
    /// The sessions one token may hold at once.
    var maxPerToken = 20

    /// Opens a session for the holder of `token` (already authenticated) and returns its id.
    func open(token: String) async throws -> String {
        try await store.openSession(token: token, lifetimeMillis: lifetimeMillis, maxPerToken: maxPerToken)
    }

    /// The viewer of a live session; `nil` without one. Throws `token_revoked`/`unauthorized`
    /// when the token it was opened with no longer holds.
    func viewer(_ id: String?) async throws -> ReportViewer? {
        guard let id, !id.isEmpty, id.count <= 128 else { return nil }
        return try await store.session(id: id)
    }

    /// Ends a session.
    func close(_ id: String?) async throws {
        guard let id, !id.isEmpty, id.count <= 128 else { return }
        try await store.closeSession(id: id)
    }
}
