public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs volume mounted for one test, to fill up (a real full disk) or to make
/// read-only (a real read-only mount). Mounting needs root and a container that allows it;
/// tests that need one are skipped with ``unavailableReason`` otherwise.
public final class ScratchVolume: Sendable {
    /// The mount point.
    public let url: URL
    /// The size of the volume in bytes.
    public let size: Int
    private let directory: TemporaryDirectory

    /// Why no volume can be mounted here, or `nil` when mounting works (probed once).
    public static let unavailableReason: String? = {
        do {
            let probe = try ScratchVolume(size: 1 << 20)
            probe.unmount()
            return nil
        } catch {
            return "\(error)"
        }
    }()

    /// Whether a volume can be mounted here (for `.enabled(if:)`).
    public static var canMount: Bool { unavailableReason == nil }

    /// Mounts a tmpfs of `size` bytes on a fresh temporary directory.
    public init(size: Int) throws {
        directory = TemporaryDirectory("volume")
        url = directory.url
        self.size = size
        try Self.mount(["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", url.path])
    }

    /// The path of a file on the volume.
    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Fills the volume with a filler file until only `leaving` bytes are free (0: to the last
    /// byte); returns the bytes written.
    @discardableResult
    public func fill(leaving: Int = 0) -> Int {
        let filler = path(".filler-\(UUID().uuidString.prefix(8))")
        // "e": close-on-exec, so that no process another test starts meanwhile inherits the
        // filler open for writing (it would keep the space, and a read-only remount busy).
        guard let handle = fopen(filler, "we") else { return 0 }
        defer { fclose(handle) }
        var written = 0
        // Big chunks first, then smaller ones, down to single bytes when filling to the end.
        for chunk in [64 * 1024, 4096, 1] {
            let bytes = [UInt8](repeating: 0x5a, count: chunk)
            while available - chunk >= leaving, fwrite(bytes, 1, chunk, handle) == chunk, fflush(handle) == 0 { written += chunk }
            clearerr(handle)
            if leaving > 0, chunk == 4096 { break }
        }
        return written
    }

    /// Deletes every filler file: the space is back.
    public func free() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        for name in names where name.hasPrefix(".filler-") { try? FileManager.default.removeItem(atPath: path(name)) }
    }

    /// Bytes free on the volume.
    public var available: Int {
        var info = statvfs()
        guard statvfs(url.path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// Makes the mounted volume read-only (every file on it must be closed for writing).
    public func remountReadOnly() throws {
        try Self.mount(["-o", "remount,ro", url.path])
    }

    /// Makes the volume writable again.
    public func remountWritable() throws {
        try Self.mount(["-o", "remount,rw", url.path])
    }

    /// Unmounts the volume (lazily, so that a file still open does not keep it).
    public func unmount() {
        _ = try? Self.run("/bin/umount", ["-l", url.path])
    }

    deinit { unmount() }

    private static func mount(_ arguments: [String]) throws {
        try run("/bin/mount", arguments)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw VolumeError(description: "\(tool) \(arguments.joined(separator: " ")) failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}

/// A failure to mount or unmount a scratch volume.
public struct VolumeError: Error, CustomStringConvertible {
    public var description: String
}
