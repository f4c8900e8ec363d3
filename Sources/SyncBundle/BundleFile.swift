import CompressNIO
import Crypto
import Foundation
import NIOCore
public import SyncModel

/// A bundle file (Protocol/SPEC.md §13): changes carried on a USB stick between a station
/// with no link and its hub.
///
///     TRIBUTARY-BUNDLE 1\n              magic and format version
///     {"compression":"gzip",…}\n        the header (``BundleHeader``), one line of JSON
///     <contentLength bytes>             the content: gzip of one JSON document
///     \n<algorithm> <hex>\n             Ed25519 signature (station) or HMAC-SHA256 (hub)
///
/// The signature or MAC covers every byte before the trailer; the header also carries the
/// SHA-256 of the stored content. Nothing is decompressed or decoded before both match.
public struct BundleFile: Sendable {
    /// The first word of every bundle.
    public static let magic = "TRIBUTARY-BUNDLE"
    /// The format version this program writes and reads.
    public static let version = 1
    /// The largest content, decompressed, a reader accepts.
    public static let maxContentBytes = 1 << 30

    /// The parsed header (not yet authenticated until ``verifySignature(publicKey:)`` or
    /// ``verifyMAC(tokenHash:)`` returns).
    public let header: BundleHeader
    /// The bytes the signature or MAC covers.
    let signed: ArraySlice<UInt8>
    /// The stored (compressed) content.
    let content: ArraySlice<UInt8>
    /// `ed25519` or `hmac-sha256`.
    let algorithm: String
    /// The signature or MAC.
    let authentication: [UInt8]

    /// Whether `bytes` start like a bundle (to tell a bundle from another kind of file).
    public static func looksLikeBundle(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: Array((magic + " ").utf8))
    }

    // MARK: Writing

    /// A station bundle, signed with the key derived from the station's token.
    public static func station(_ content: StationBundleContent, header: BundleHeader, token: String) throws(SyncError) -> [UInt8] {
        var header = header
        header.kind = .station
        header.key = BundleKeys.stationPublicKey(token: token)
        let key = BundleKeys.signingKey(token: token)
        return try write(content, header: header, algorithm: "ed25519") { bytes throws(SyncError) in
            do {
                return Array(try key.signature(for: bytes))
            } catch {
                throw SyncError(.internalError, "could not sign the bundle: \(error)")
            }
        }
    }

    /// A hub bundle for the station whose token hashes to `tokenHash`, MACed with the key
    /// derived from that hash.
    public static func hub(_ content: HubBundleContent, header: BundleHeader, tokenHash: String) throws(SyncError) -> [UInt8] {
        let key = try BundleKeys.macKey(tokenHash: tokenHash)
        var header = header
        header.kind = .hub
        header.key = BundleKeys.keyID(key)
        return try write(content, header: header, algorithm: "hmac-sha256") { bytes in
            Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
        }
    }

    private static func write(
        _ content: some Encodable, header: BundleHeader, algorithm: String,
        authenticate: ([UInt8]) throws(SyncError) -> [UInt8]
    ) throws(SyncError) -> [UInt8] {
        let json: Data
        do {
            json = try JSONEncoder().encode(content)
        } catch {
            throw SyncError(.internalError, "could not encode the bundle's content: \(error)")
        }
        var buffer = ByteBuffer(bytes: json)
        guard var compressed = try? buffer.compress(with: .gzip()),
            let stored = compressed.readBytes(length: compressed.readableBytes)
        else {
            throw SyncError(.internalError, "could not compress the bundle's content")
        }
        var header = header
        header.compression = "gzip"
        header.contentLength = stored.count
        header.contentSHA256 = Hex.encode(Array(SHA256.hash(data: stored)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let headerLine: Data
        do {
            headerLine = try encoder.encode(header)
        } catch {
            throw SyncError(.internalError, "could not encode the bundle's header: \(error)")
        }
        var bytes = Array("\(magic) \(version)\n".utf8) + Array(headerLine) + [0x0A] + stored
        let tag = try authenticate(bytes)
        bytes += Array("\n\(algorithm) \(Hex.encode(tag))\n".utf8)
        return bytes
    }

    // MARK: Files

    /// Writes bundle bytes to `path`, replacing it atomically.
    public static func save(_ bytes: [UInt8], to path: String) throws(SyncError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            // A bundle carries personal fields: its owner's to read, whatever the umask (a
            // USB stick's FAT file system ignores this, and that is fine).
            _ = chmod(path, 0o600)
        } catch let error as CocoaError where error.code == .fileWriteOutOfSpace {
            throw SyncError(.diskFull, "the disk holding \(path) is full: the bundle was not written; free some space (or use another disk) and export it again")
        } catch let error as CocoaError where error.code == .fileWriteVolumeReadOnly {
            throw SyncError(.readOnly, "\(path) is on a read-only disk: the bundle was not written; export it again to a writable disk")
        } catch {
            throw SyncError(.storeInvalid, "cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The bytes of the file at `path`.
    public static func load(_ path: String) throws(SyncError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError(.notFound, "cannot read \(path)")
        }
        return [UInt8](data)
    }

    // MARK: Reading

    /// Parses a bundle and checks its shape, length and content hash; nothing is trusted yet.
    ///
    /// - Throws: `bundle_invalid` (not a bundle, malformed header or trailer),
    ///   `bundle_version` (another format version), `bundle_truncated` (shorter than its
    ///   header says), `bundle_tampered` (the content's SHA-256 differs).
    public static func parse(_ bytes: [UInt8]) throws(SyncError) -> BundleFile {
        let magicBytes = Array((magic + " ").utf8)
        guard bytes.starts(with: magicBytes) else {
            if !bytes.isEmpty, magicBytes.starts(with: bytes) {
                throw SyncError(.bundleTruncated, "the bundle file ends after \(bytes.count) bytes, inside its first line; copy it again")
            }
            throw SyncError(.bundleInvalid, "this is not a Tributary bundle (it does not start with \(magic))")
        }
        guard let firstEnd = bytes.prefix(64).firstIndex(of: 0x0A) else {
            if bytes.count < 64 { throw SyncError(.bundleTruncated, "the bundle file ends inside its first line; copy it again") }
            throw SyncError(.bundleInvalid, "the bundle's first line is malformed")
        }
        let versionText = String(decoding: bytes[magicBytes.count..<firstEnd], as: UTF8.self)
        guard let version = Int(versionText) else {
            throw SyncError(.bundleInvalid, "the bundle's format version \"\(versionText.prefix(20))\" is not a number")
        }
        guard version == Self.version else {
            throw SyncError(
                .bundleVersion,
                "the bundle is of format version \(version); this program reads version \(Self.version)\(version > Self.version ? " — upgrade it" : "")")
        }
        let headerStart = firstEnd + 1
        guard let headerEnd = bytes[headerStart...].prefix(65_536).firstIndex(of: 0x0A) else {
            if bytes.count - headerStart < 65_536 {
                throw SyncError(.bundleTruncated, "the bundle file ends inside its header; copy it again")
            }
            throw SyncError(.bundleInvalid, "the bundle's header line is longer than 64 KiB")
        }
        let header: BundleHeader
        do {
            header = try JSONDecoder().decode(BundleHeader.self, from: Data(bytes[headerStart..<headerEnd]))
        } catch {
            throw SyncError(.bundleInvalid, "the bundle's header is malformed: \(Self.describe(error))")
        }
        guard header.compression == "gzip" else {
            throw SyncError(.bundleInvalid, "the bundle's content is compressed as \"\(header.compression.prefix(20))\"; only gzip is known")
        }
        let contentStart = headerEnd + 1
        guard header.contentLength >= 0, header.contentLength <= maxContentBytes else {
            throw SyncError(.bundleInvalid, "the bundle's header gives an impossible content length \(header.contentLength)")
        }
        let contentEnd = contentStart + header.contentLength
        guard contentEnd <= bytes.count else {
            throw SyncError(
                .bundleTruncated,
                "the bundle file is cut short: its header announces \(header.contentLength) bytes of content, the file holds \(bytes.count - contentStart); copy it again")
        }
        let expected = header.kind == .station ? "ed25519" : "hmac-sha256"
        let trailerPrefix = Array("\n\(expected) ".utf8)
        let tagLength = header.kind == .station ? 64 : 32
        let trailerLength = trailerPrefix.count + tagLength * 2 + 1
        let rest = bytes[contentEnd...]
        guard rest.count >= trailerLength else {
            if trailerPrefix.starts(with: rest.prefix(trailerPrefix.count)) {
                throw SyncError(.bundleTruncated, "the bundle file is cut short: its \(expected) \(header.kind == .station ? "signature" : "MAC") is missing; copy it again")
            }
            throw SyncError(.bundleInvalid, "the bundle has no valid \(expected) trailer after its content")
        }
        guard rest.starts(with: trailerPrefix), rest.count == trailerLength, rest.last == 0x0A,
            let tag = Hex.decode(String(decoding: rest.dropFirst(trailerPrefix.count).dropLast(), as: UTF8.self))
        else {
            throw SyncError(.bundleInvalid, "the bundle's last line is not a \(expected) \(header.kind == .station ? "signature" : "MAC") (or bytes follow it)")
        }
        let content = bytes[contentStart..<contentEnd]
        guard Hex.encode(Array(SHA256.hash(data: Array(content)))) == header.contentSHA256 else {
            throw SyncError(.bundleTampered, "the bundle's content does not match the SHA-256 in its header: the file was changed or damaged")
        }
        return BundleFile(header: header, signed: bytes[..<contentEnd], content: content, algorithm: expected, authentication: tag)
    }

    /// Checks the station's signature against its public key (64 hex digits).
    public func verifySignature(publicKey: String) throws(SyncError) {
        guard algorithm == "ed25519", let raw = Hex.decode(publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else {
            throw SyncError(.bundleInvalid, "the bundle is not signed by a station")
        }
        guard key.isValidSignature(authentication, for: Array(signed)) else {
            throw SyncError(.bundleTampered, "the bundle's signature does not match its content: the file was changed after the station wrote it")
        }
    }

    /// Checks the hub's MAC with the key derived from the station's token hash.
    public func verifyMAC(tokenHash: String) throws(SyncError) {
        guard algorithm == "hmac-sha256" else {
            throw SyncError(.bundleInvalid, "the bundle does not carry a hub's MAC")
        }
        let key = try BundleKeys.macKey(tokenHash: tokenHash)
        guard HMAC<SHA256>.isValidAuthenticationCode(authentication, authenticating: Array(signed), using: key) else {
            throw SyncError(.bundleTampered, "the bundle's MAC does not match its content: the file was changed after the hub wrote it")
        }
    }

    /// Decompresses and decodes the content. Call only after the signature or MAC is verified.
    public func decodeContent<T: Decodable>(_ type: T.Type) throws(SyncError) -> T {
        var buffer = ByteBuffer(bytes: content)
        guard var json = try? buffer.decompress(with: .gzip(), maxSize: Self.maxContentBytes) else {
            throw SyncError(.bundleInvalid, "the bundle's content is not valid gzip (or over \(Self.maxContentBytes >> 20) MiB)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(json.readBytes(length: json.readableBytes) ?? []))
        } catch {
            throw SyncError(.bundleInvalid, "the bundle's content is malformed: \(Self.describe(error))")
        }
    }

    /// A decoding failure named by its path, never by values (which may be personal).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not JSON of the expected shape" : "bad value at \(path)"
        @unknown default:
            return "not JSON of the expected shape"
        }
    }
}
