import Foundation
import SyncClient
import SyncModel

/// Reads the `--ca FILE` of `init` and `remote set`: a PEM certificate authority.
enum CertificateAuthorityFile {
    /// The PEM text of `path`, checked.
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError(.notFound, "cannot read the certificate authority file \(path)")
        }
        let pem = String(decoding: data, as: UTF8.self)
        try Station.checkCertificateAuthority(pem, source: path)
        return pem
    }
}
