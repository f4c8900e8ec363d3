import Dispatch
import Foundation
import Synchronization

/// What must not outlive the driver when it is interrupted (SIGINT, SIGTERM — a `timeout`, a
/// Ctrl-C): the hub processes it started and its PostgreSQL cluster. Each registers how it is
/// stopped while it runs; on the signal every registered stop runs, and the driver exits.
enum SoakCleanup {
    private static let registry = Mutex<[ObjectIdentifier: @Sendable () -> Void]>([:])
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Registers how to stop `owner`'s resource.
    static func add(_ owner: AnyObject, _ stop: @escaping @Sendable () -> Void) {
        registry.withLock { $0[ObjectIdentifier(owner)] = stop }
    }

    /// Forgets `owner` (stopped by the run itself).
    static func remove(_ owner: AnyObject) {
        _ = registry.withLock { $0.removeValue(forKey: ObjectIdentifier(owner)) }
    }

    /// Runs every registered stop on SIGINT or SIGTERM, then exits with 128 + the signal.
    static func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                let stops = registry.withLock { registered in
                    defer { registered = [:] }
                    return Array(registered.values)
                }
                for stop in stops { stop() }
                FileHandle.standardError.write(Data("error: soak: interrupted; hub processes and the PostgreSQL cluster stopped\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
