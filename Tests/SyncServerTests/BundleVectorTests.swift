import Foundation
import SyncBundle
import SyncModel
import Testing
import TributaryTestSupport

/// The sample bundles in Protocol/vectors/bundles verify with the token in `key.json`: what
/// an implementation in another language checks its reader and key derivation against.
@Suite("Bundle vectors")
struct BundleVectorTests {
    static let directory = URL(fileURLWithPath: GoldenVectors.directory).appendingPathComponent("bundles")

    struct Key: Decodable {
        var token: String
        var tokenHash: String
        var stationPublicKey: String
        var keyID: String
        var station: Expect
        var hub: Expect

        struct Expect: Decodable {
            var file: String
            var changes: Int
            var acked: UInt64
            var org: String
        }
    }

    static func load() throws -> Key {
        try JSONDecoder().decode(Key.self, from: Data(contentsOf: directory.appendingPathComponent("key.json")))
    }

    static func bytes(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(file)))
    }

    @Test("the keys derive from the sample token as key.json states")
    func keys() throws {
        let key = try Self.load()
        #expect(BundleKeys.tokenHash(token: key.token) == key.tokenHash)
        #expect(BundleKeys.stationPublicKey(token: key.token) == key.stationPublicKey)
        #expect(BundleKeys.keyID(token: key.token) == key.keyID)
    }

    @Test("the sample station bundle verifies with the station's public key and decodes")
    func stationBundle() throws {
        let key = try Self.load()
        let file = try BundleFile.parse(try Self.bytes(key.station.file))
        #expect(file.header.kind == .station && file.header.key == key.stationPublicKey && file.header.org == key.station.org)
        try file.verifySignature(publicKey: key.stationPublicKey)
        let content = try file.decodeContent(StationBundleContent.self)
        #expect(content.changes.count == key.station.changes && content.acked == key.station.acked)
        #expect(content.changes.allSatisfy { $0.site == file.header.site })
    }

    @Test("the sample hub bundle verifies with the token's hash and decodes")
    func hubBundle() throws {
        let key = try Self.load()
        let file = try BundleFile.parse(try Self.bytes(key.hub.file))
        #expect(file.header.kind == .hub && file.header.key == key.keyID && file.header.org == key.hub.org)
        try file.verifyMAC(tokenHash: key.tokenHash)
        let content = try file.decodeContent(HubBundleContent.self)
        #expect(content.pulls.reduce(0) { $0 + $1.changes.count } == key.hub.changes && content.acked == key.hub.acked)
        #expect(content.pulls.last?.cursor == content.to)
    }

    @Test("one changed byte anywhere in a sample bundle is refused")
    func tamperedSample() throws {
        let key = try Self.load()
        for name in [key.station.file, key.hub.file] {
            let good = try Self.bytes(name)
            var random = SeededRandom(seed: 0xB0D1E)
            for _ in 0..<40 {
                var bad = good
                let index = Int.random(in: 0..<bad.count, using: &random)
                bad[index] ^= UInt8.random(in: 1...255, using: &random)
                #expect(throws: SyncError.self, "byte \(index) of \(name)") {
                    let file = try BundleFile.parse(bad)
                    if file.header.kind == .station {
                        try file.verifySignature(publicKey: key.stationPublicKey)
                    } else {
                        try file.verifyMAC(tokenHash: key.tokenHash)
                    }
                }
            }
        }
    }
}
