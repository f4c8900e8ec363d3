public import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is dropped
/// (unless `TRIBUTARY_KEEP_TMP` is set, to look at the files after a failure).
public final class TemporaryDirectory: Sendable {
    /// The directory's URL.
    public let url: URL

    /// Creates a fresh, empty directory in `base` (the system's temporary folder by default).
    public init(_ prefix: String = "tributary", in base: URL = FileManager.default.temporaryDirectory) {
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of a file inside the directory.
    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    deinit {
        if ProcessInfo.processInfo.environment["TRIBUTARY_KEEP_TMP"] == nil {
            try? FileManager.default.removeItem(at: url)
        }
    }
}
