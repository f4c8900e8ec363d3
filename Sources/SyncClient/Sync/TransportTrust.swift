import Foundation
import NIOSSL
import SyncModel

/// The certificate authorities a station trusts for HTTPS: the system's, plus the PEM files
/// named by `SSL_CERT_FILE` and `CURL_CA_BUNDLE` (as curl and OpenSSL read them), plus the
/// county's own CA kept with the replica (`tributary remote set --ca FILE`).
struct TransportTrust: Sendable {
    /// The TLS configuration for requests, `nil` when the system's authorities are all there is.
    let tls: TLSConfiguration?

    /// - Throws: `bad_request` when a certificate (given, or in a file the environment names)
    ///   is not PEM.
    init(certificateAuthorities: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SyncError) {
        var certificates: [NIOSSLCertificate] = []
        if let pem = certificateAuthorities, !pem.isEmpty {
            certificates += try Self.parse(pem, source: "the station's certificate authority (tributary remote set --ca)")
        }
        for variable in ["SSL_CERT_FILE", "CURL_CA_BUNDLE"] {
            guard let path = environment[variable], !path.isEmpty else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SyncError(.notFound, "\(variable) names \(path), which cannot be read; fix or unset \(variable)")
            }
            certificates += try Self.parse(String(decoding: data, as: UTF8.self), source: "\(path) (\(variable))")
        }
        guard !certificates.isEmpty else {
            tls = nil
            return
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.additionalTrustRoots = [.certificates(certificates)]
        tls = configuration
    }

    /// The certificates of PEM text.
    static func parse(_ pem: String, source: String) throws(SyncError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
        } catch {
            throw SyncError(.badRequest, "\(source) is not a PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        guard !certificates.isEmpty else {
            throw SyncError(.badRequest, "\(source) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        return certificates
    }

    /// Checks that `pem` holds at least one certificate (for `remote set --ca`).
    static func check(_ pem: String, source: String) throws(SyncError) {
        _ = try parse(pem, source: source)
    }
}
