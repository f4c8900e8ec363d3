import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SyncModel

/// What a failed exchange with the hub means for a clerk: `hub_unreachable` with the reason
/// (connection refused, timed out, unknown host, a certificate this station does not trust).
enum TransportErrors {
    /// The first words of the sentence for a certificate problem (no retry helps).
    static let certificatePrefix = "the hub's TLS certificate"

    /// The error for a transport failure.
    static func describe(_ error: any Error, hub: URL) -> SyncError {
        let text = String(describing: error)
        if isCertificateFailure(error, text: text) {
            let reason = text.contains("CERTIFICATE_VERIFY_FAILED") ? "CERTIFICATE_VERIFY_FAILED" : "\(text.prefix(160))"
            return SyncError(
                .unreachable,
                "\(certificatePrefix) at \(hub.absoluteString) is not trusted (\(reason): self-signed, signed by a certificate authority this station does not know, expired, or for another name) — if the county runs its own certificate authority, give its certificate with --ca FILE (`tributary remote set --ca FILE`, or `init --ca FILE`; SSL_CERT_FILE works too)")
        }
        return SyncError(.unreachable, "hub unreachable at \(hub.absoluteString): \(reason(error, text: text))")
    }

    /// Whether `error` (from ``describe(_:hub:)``) is a certificate problem.
    static func isCertificateProblem(_ error: SyncError) -> Bool {
        error.code == .unreachable && error.message.hasPrefix(certificatePrefix)
    }

    private static func isCertificateFailure(_ error: any Error, text: String) -> Bool {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname { return true }
        if case .handshakeFailed = error as? NIOSSLError {
            return text.contains("CERTIFICATE") || text.contains("certificate")
        }
        return text.contains("CERTIFICATE_VERIFY_FAILED")
    }

    private static func reason(_ error: any Error, text: String) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded, .tlsHandshakeTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection lost"
            case .cancelled: return "cancelled"
            default: break
            }
        }
        if text.contains("Connection refused") || text.contains("connection refused") { return "connection refused" }
        if text.contains("Connection reset") { return "connection lost" }
        if error is NIOConnectionError || text.contains("NIODNS") || text.contains("resolution") { return "unknown host" }
        if error is NIOSSLError || error is NIOSSLExtraError { return "TLS failed (\(text.prefix(160)))" }
        return String(text.prefix(200))
    }
}
