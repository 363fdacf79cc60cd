#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM ask a capture to stop cleanly: a live capture, or the reading of a capture
/// file. What was read is judged and the summary written (marked as interrupted), then the run
/// exits with 128 + the signal's number, as a shell expects.
enum StopSignal {
    nonisolated(unsafe) private static var received: sig_atomic_t = 0

    static var requested: Bool { received != 0 }
    /// The signal that asked to stop, if one did.
    static var signal: Int32? { received == 0 ? nil : Int32(received) }

    /// The stopping signal's name, for reports ("SIGINT", "SIGTERM").
    static var name: String? {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case let other?: "signal \(other)"
        case nil: nil
        }
    }

    /// Installs the handlers and unblocks both signals: a parent may start the tool with them
    /// blocked (Foundation's `Process` does), and then a stop request would never arrive.
    static func install() {
        Glibc.signal(SIGINT) { StopSignal.received = sig_atomic_t($0) }
        Glibc.signal(SIGTERM) { StopSignal.received = sig_atomic_t($0) }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
