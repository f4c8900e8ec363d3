import SyncModel
import Synchronization

/// What the hub's store last learnt about its own writability: the disk fault
/// (`read_only`, `disk_full`) of the last write that failed with one, until a write succeeds
/// again. `/healthz` reports it (SPEC §10 Operations).
final class WriteHealth: Sendable {
    private let lastFault = Mutex<SyncError?>(nil)

    /// The fault of the last failed write, `nil` once a write has succeeded since.
    var fault: SyncError? { lastFault.withLock { $0 } }

    /// Notes a failed write's error (only disk faults count: a refused push is no fault of the store).
    func failed(_ error: any Error) {
        guard let error = error as? SyncError, error.code == .readOnly || error.code == .diskFull else { return }
        lastFault.withLock { $0 = error }
    }

    /// Notes a write that committed.
    func succeeded() {
        lastFault.withLock { $0 = nil }
    }
}
