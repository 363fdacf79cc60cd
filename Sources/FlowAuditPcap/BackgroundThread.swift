#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread that runs one closure; `join()` waits for it to return.
/// Used to read and decode a capture file while the calling thread analyses it.
public final class BackgroundThread {
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    private var thread = pthread_t()
    private var joined = false

    /// Starts `body` on a new thread, or returns nil when the system refuses one (the caller
    /// then does the work itself).
    public init?(_ body: @escaping () -> Void) {
        let work = Unmanaged.passRetained(Work(body)).toOpaque()
        let status = pthread_create(
            &thread,
            nil,
            { context in
                Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            },
            work
        )
        guard status == 0 else {
            Unmanaged<Work>.fromOpaque(work).release()
            return nil
        }
    }

    /// Waits for the thread's closure to return.
    public func join() {
        guard !joined else { return }
        pthread_join(thread, nil)
        joined = true
    }

    deinit { join() }
}
