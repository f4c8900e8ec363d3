import Crypto
import Foundation
import SyncModel

/// The keys that authenticate bundles, all derived from the station's token (Protocol/SPEC.md
/// §13), so that neither side needs anything it does not already hold:
///
/// - a station's bundle is **signed** with Ed25519. The private key's seed is
///   HKDF-SHA256(token, salt `tributary-bundle-v1`, info `station-signing`); the hub derives
///   the public key when it issues the token and keeps only that (as it keeps only the
///   token's SHA-256), so a copy of the hub's file cannot forge a station's bundle;
/// - the hub's bundle for a station is **MACed** with HMAC-SHA256 under
///   HKDF-SHA256(SHA-256(token), salt `tributary-bundle-v1`, info `hub-to-station`): the hub
///   holds the token's hash, the station computes it from its token.
public enum BundleKeys {
    /// The HKDF salt of every bundle key.
    static let salt = Array("tributary-bundle-v1".utf8)

    /// The station's Ed25519 signing key.
    static func signingKey(token: String) -> Curve25519.Signing.PrivateKey {
        let seed = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(token.utf8)), salt: salt, info: Array("station-signing".utf8),
            outputByteCount: 32)
        // A 32-byte seed is always a valid Ed25519 private key.
        return try! Curve25519.Signing.PrivateKey(rawRepresentation: seed.withUnsafeBytes { Array($0) })
    }

    /// The station's Ed25519 public key (64 hex digits): what the hub stores to verify the
    /// station's bundles.
    public static func stationPublicKey(token: String) -> String {
        Hex.encode(Array(signingKey(token: token).publicKey.rawRepresentation))
    }

    /// The HMAC key of the hub's bundles for the station whose token hashes to `tokenHash`
    /// (the SHA-256 of the token, 64 hex digits, as the hub stores it).
    static func macKey(tokenHash: String) throws(SyncError) -> SymmetricKey {
        guard let hash = Hex.decode(tokenHash), hash.count == 32 else {
            throw SyncError(.internalError, "the station's token hash is not 64 hex digits")
        }
        return HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: hash), salt: salt, info: Array("hub-to-station".utf8), outputByteCount: 32)
    }

    /// The SHA-256 of a token in hex, as the hub stores it.
    public static func tokenHash(token: String) -> String {
        Hex.encode(Array(SHA256.hash(data: Array(token.utf8))))
    }

    /// A short public name of a MAC key (16 hex digits of SHA-256 of "key-id" and the key),
    /// written in a hub bundle's header so that a station can tell a bundle made for another
    /// station from a tampered one.
    static func keyID(_ key: SymmetricKey) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("key-id".utf8))
        key.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return String(Hex.encode(Array(hasher.finalize())).prefix(16))
    }

    /// The key id of the hub's bundles for the holder of `token`.
    public static func keyID(token: String) -> String {
        // The hash of a token string is always 64 hex digits.
        keyID(try! macKey(tokenHash: tokenHash(token: token)))
    }
}

/// Lowercase hex coding of bytes.
enum Hex {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count.isMultiple(of: 2) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
