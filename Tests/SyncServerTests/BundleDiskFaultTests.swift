import Foundation
import SyncBundle
import SyncModel
import Testing
import TributaryTestSupport

/// A bundle written to a full or read-only disk (a USB stick) says so (SPEC §16).
@Suite("Bundles on a full or read-only disk")
struct BundleDiskFaultTests {
    @Test(
        "saving a bundle on a full volume fails with disk_full, on a read-only one with read_only, leaving no file",
        .enabled(if: ScratchVolume.canMount, "needs to mount a tmpfs: \(ScratchVolume.unavailableReason ?? "")"))
    func save() throws {
        // Given a 1 MB volume filled to the last byte, and a 64 KB bundle
        let volume = try ScratchVolume(size: 1 << 20)
        let bytes = [UInt8](repeating: 0x41, count: 64 << 10)
        volume.fill()
        let path = volume.path("taocheng.tbundle")
        // When it is saved there / Then disk_full naming the file, and no file
        #expect {
            try BundleFile.save(bytes, to: path)
        } throws: { error in
            let error = error as? SyncError
            return error?.code == .diskFull && error?.message.contains(path) == true
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        // When the volume has room but is read-only / Then read_only
        volume.free()
        try volume.remountReadOnly()
        #expect {
            try BundleFile.save(bytes, to: path)
        } throws: { error in
            (error as? SyncError)?.code == .readOnly
        }
    }
}
