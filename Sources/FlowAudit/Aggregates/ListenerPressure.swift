/// Handshakes that failed at one listener (server address and port), to weigh a lone
/// `accept-queue-overflow` (docs/domain.md §5, §6): from one capture point, "handshake ACK seen,
/// SYN-ACK resent" looks the same whether the ACK was lost after the capture point or the accept
/// queue was full. What tells them apart is context: in a real overflow, other handshakes to the
/// same listener at the same time are ignored too, and new SYNs to it go unanswered.
struct ListenerPressure {
    /// How close in time other failures must be to count as "at the same time".
    static let window: Int64 = 10_000_000_000
    /// Failures remembered per listener (the latest), and listeners remembered at once.
    static let perListener = 64
    static let listenerLimit = 16_384

    /// Failure times per listener, in the order noted.
    private var failures: [Endpoint: [Timestamp]] = [:]

    /// Notes a handshake that failed at `listener` at `time`: an overflow candidate, or an
    /// unanswered SYN.
    mutating func note(_ listener: Endpoint, at time: Timestamp) {
        if failures.count >= Self.listenerLimit, failures[listener] == nil { failures.removeAll() }
        var times = failures.removeValue(forKey: listener) ?? []
        times.append(time)
        if times.count > Self.perListener { times.removeFirst(times.count - Self.perListener) }
        failures[listener] = times
    }

    /// Failures at `listener` within `window` of `time`, other than one at `time` itself.
    func othersNear(_ listener: Endpoint, at time: Timestamp) -> Int {
        guard let times = failures[listener] else { return 0 }
        return times.filter { $0 != time && $0.since(time).magnitudeSaturated <= Self.window }.count
    }
}
