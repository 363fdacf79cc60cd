#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM ask a live capture to stop cleanly (verdicts for open flows, then the summary).
enum StopSignal {
    nonisolated(unsafe) private static var received: sig_atomic_t = 0

    static var requested: Bool { received != 0 }

    static func install() {
        signal(SIGINT) { _ in StopSignal.received = 1 }
        signal(SIGTERM) { _ in StopSignal.received = 1 }
    }
}
