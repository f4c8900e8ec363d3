import SyncStore

/// A freshly issued bearer token: 32 random bytes in hex, the SHA-256 the hub stores in its
/// place, and a short random id to name the holder (station or admin) by.
struct IssuedToken {
    /// The token, shown once to whoever receives it.
    let token: String
    /// The SHA-256 of the token, the only form the hub keeps.
    let hash: String
    /// The holder's id: `prefix` followed by 12 hex digits.
    let id: String

    /// Draws a new token and id from the system's random source.
    init(idPrefix prefix: String) {
        token = Self.randomHex(bytes: 32)
        id = prefix + Self.randomHex(bytes: 6)
        hash = ReplicaStore.sha256Hex(token.utf8)
    }

    /// `bytes` random bytes from the system's random source, as lowercase hex.
    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}
