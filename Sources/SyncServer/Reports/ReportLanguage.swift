import Foundation

/// The language of report headers and dashboard labels: Simplified Chinese or English.
public enum ReportLanguage: String, CaseIterable, Sendable, Codable {
    /// Simplified Chinese (the default for county and township officers).
    case zh
    /// English.
    case en

    /// The language an `Accept-Language` header prefers among the two, by quality value;
    /// Chinese when the header is absent or names neither.
    public static func preferred(acceptLanguage header: String?) -> ReportLanguage {
        guard let header else { return .zh }
        var best: (language: ReportLanguage, quality: Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { continue }
            var quality = 1.0
            for piece in pieces.dropFirst() where piece.hasPrefix("q=") {
                quality = Double(piece.dropFirst(2)) ?? 0
            }
            let language: ReportLanguage? =
                tag == "zh" || tag.hasPrefix("zh-") ? .zh : tag == "en" || tag.hasPrefix("en-") ? .en : nil
            guard let language, quality > 0 else { continue }
            if best == nil || quality > best!.quality { best = (language, quality) }
        }
        return best?.language ?? .zh
    }

    /// The BCP 47 tag for `<html lang>`.
    public var htmlTag: String { self == .zh ? "zh-Hans" : "en" }
}
