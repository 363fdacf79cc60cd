#if canImport(Glibc)
import Glibc
#endif

/// Hands values from one producing thread to one consuming thread, in order, a batch at a time:
/// a ring of `depth` batches and two counting semaphores (free batches, filled batches), so the
/// threads meet once per batch rather than once per value, and nothing is allocated after start.
/// The semaphores order the memory: what the producer wrote before posting a batch is what the
/// consumer reads after taking it.
///
/// Exactly one thread may call `append`/`finish` and exactly one may call `consume`.
package final class BatchHandoff<Element>: @unchecked Sendable {
    package let batchSize: Int
    package let depth: Int
    private let slots: UnsafeMutablePointer<Element>
    private let counts: UnsafeMutablePointer<Int>
    private let lastFlags: UnsafeMutablePointer<Bool>
    private let free: UnsafeMutablePointer<sem_t>
    private let filled: UnsafeMutablePointer<sem_t>
    /// Producer side: the batch being filled and how full it is (-1: not yet claimed).
    private var fillingBatch = 0
    private var fillingCount = -1
    private var finished = false

    package init(batchSize: Int = 4096, depth: Int = 4) {
        precondition(batchSize > 0 && depth > 1)
        self.batchSize = batchSize
        self.depth = depth
        slots = .allocate(capacity: batchSize * depth)
        counts = .allocate(capacity: depth)
        counts.initialize(repeating: 0, count: depth)
        lastFlags = .allocate(capacity: depth)
        lastFlags.initialize(repeating: false, count: depth)
        free = .allocate(capacity: 1)
        filled = .allocate(capacity: 1)
        sem_init(free, 0, UInt32(depth))
        sem_init(filled, 0, 0)
    }

    deinit {
        sem_destroy(free)
        sem_destroy(filled)
        free.deallocate()
        filled.deallocate()
        counts.deallocate()
        lastFlags.deallocate()
        slots.deallocate()
    }

    private static func wait(_ semaphore: UnsafeMutablePointer<sem_t>) {
        while sem_wait(semaphore) != 0 {}  // EINTR: a signal arrived; wait again
    }

    // MARK: Producer

    /// Adds one value; blocks while the consumer is `depth` batches behind.
    @inline(__always)
    package func append(_ value: consuming Element) {
        if fillingCount < 0 || fillingCount == batchSize { claimBatch() }
        (slots + fillingBatch * batchSize + fillingCount).initialize(to: value)
        fillingCount &+= 1
    }

    private func claimBatch() {
        if fillingCount >= 0 { post(last: false) }
        Self.wait(free)
        fillingCount = 0
    }

    private func post(last: Bool) {
        counts[fillingBatch] = fillingCount
        lastFlags[fillingBatch] = last
        sem_post(filled)
        fillingBatch = (fillingBatch + 1) % depth
        fillingCount = -1
    }

    /// Hands over what is left and tells the consumer nothing more follows.
    package func finish() {
        guard !finished else { return }
        finished = true
        if fillingCount < 0 {
            Self.wait(free)
            fillingCount = 0
        }
        post(last: true)
    }

    // MARK: Consumer

    /// Calls `body` with each value, in order, until the producer finishes; each value is moved
    /// out of the ring to `body`, never copied. With `peek`, before each value `body` gets,
    /// `peek` sees the values `distance` (`near` true) and `2 × distance` places further on in
    /// the same batch: a chance to prefetch what they will need.
    package func consume(
        peekDistance distance: Int = 0,
        peek: ((borrowing Element, _ near: Bool) -> Void)? = nil,
        _ body: (consuming Element) -> Void
    ) {
        var batch = 0
        while true {
            Self.wait(filled)
            let first = slots + batch * batchSize
            let count = counts[batch]
            for index in 0..<count {
                if let peek, distance > 0 {
                    if index &+ 2 &* distance < count { peek(first[index &+ 2 &* distance], false) }
                    if index &+ distance < count { peek(first[index &+ distance], true) }
                }
                body((first + index).move())
            }
            let last = lastFlags[batch]
            sem_post(free)
            if last { return }
            batch = (batch + 1) % depth
        }
    }
}
