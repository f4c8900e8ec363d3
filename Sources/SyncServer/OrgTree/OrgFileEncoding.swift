public import SyncModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The character encoding of an org tree file: UTF-8 (with or without a byte order mark), or
/// GBK — what Excel on Chinese Windows saves a "CSV (逗号分隔)" file in.
public enum OrgFileEncoding: String, Sendable, CaseIterable {
    /// UTF-8; a leading byte order mark is dropped.
    case utf8
    /// GBK, read as GB 18030 (which contains it).
    case gbk

    /// The text of `bytes` in this encoding.
    ///
    /// - Throws: ``SyncError`` `bad_request` naming the first line that is not valid in the
    ///   encoding; for UTF-8 the sentence says how to save the file as UTF-8 or to pass
    ///   `--encoding gbk`. A UTF-16 file is refused the same way.
    public func decode(_ bytes: [UInt8], file: String) throws(SyncError) -> String {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw SyncError(.badRequest, "\(file) is UTF-16 text (Excel's \"Unicode Text\"); \(Self.saveAsUTF8)")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return try Self.utf8(Array(bytes.dropFirst(3)), file: file)
        }
        switch self {
        case .utf8: return try Self.utf8(bytes, file: file)
        case .gbk: return try Self.convert(bytes, from: "GB18030", name: "GBK", file: file)
        }
    }

    static let saveAsUTF8 =
        "in Excel choose Save As → \"CSV UTF-8 (逗号分隔)(*.csv)\" (in WPS: 另存为 → CSV, encoding UTF-8), or pass --encoding gbk if it was saved by Excel on Chinese Windows"

    /// `bytes` as UTF-8 text, refusing invalid sequences (never replaced by U+FFFD).
    static func utf8(_ bytes: [UInt8], file: String) throws(SyncError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        throw SyncError(
            .badRequest,
            "\(file) is not UTF-8 text (line \(firstInvalidLine(bytes)) holds bytes that are not UTF-8; a file saved by Excel on Chinese Windows is GBK): nothing was imported; \(saveAsUTF8)")
    }

    /// The 1-based line holding the first byte sequence that is not UTF-8.
    static func firstInvalidLine(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A || index == bytes.count - 1 {
            if String(validating: bytes[start...index], as: UTF8.self) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }

    /// `bytes` converted from `encoding` to UTF-8 by the C library's iconv.
    static func convert(_ bytes: [UInt8], from encoding: String, name: String, file: String) throws(SyncError) -> String {
        let converter = iconv_open("UTF-8", encoding)
        guard let converter, converter != iconv_t(bitPattern: -1) else {
            throw SyncError(.badRequest, "this system cannot convert \(name) text (iconv has no \(encoding)); save \(file) as UTF-8 instead")
        }
        defer { iconv_close(converter) }
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var input = bytes
        let (failed, written): (Int?, Int) = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                var inPointer = source.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var inLeft = source.count
                var outPointer = target.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var outLeft = target.count
                if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 {
                    return (source.count - inLeft, target.count - outLeft)
                }
                return (nil, target.count - outLeft)
            }
        }
        if let failed {
            let line = bytes[..<failed].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw SyncError(.badRequest, "\(file) is not \(name) text either (line \(line) holds bytes that are not \(name)): nothing was imported; check how the file was saved")
        }
        // GB 18030 maps every byte sequence it accepts to Unicode, so the output is UTF-8.
        return String(decoding: output[..<written], as: UTF8.self)
    }
}
