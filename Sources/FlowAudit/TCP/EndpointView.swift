/// What the observer knows of one endpoint of a connection generation: its inferred state (and how
/// long it spent in each), and its sequence space as seen in the segments it sent (RFC 9293 §3.3.1).
public struct EndpointView: Sendable {
    public private(set) var state: TCPState
    public private(set) var stateSince: Timestamp
    /// Nanoseconds spent in each state, indexed by `TCPState.rawValue`; the current state's time
    /// is added when it is left or when `closeBooks(at:)` is called.
    private var nanosecondsInState: InlineArray<12, Int64>

    /// ISS of this endpoint (the sequence number of its SYN).
    public internal(set) var initialSequence: SequenceNumber?
    /// SND.NXT as seen: the highest sequence end of any segment it sent.
    public internal(set) var nextSequence: SequenceNumber?
    /// The highest acknowledgment number it sent: its RCV.NXT as of its last segment.
    public internal(set) var highestAcknowledgment: SequenceNumber?
    /// Sequence number of its FIN, once it sent one.
    public internal(set) var finSequence: SequenceNumber?
    /// TSval its SYN (or SYN-ACK) and its FIN carried: a copy with the same TSval is the same
    /// packet seen twice, not a retransmission (RFC 7323 §3: a retransmission carries a new TSval).
    public internal(set) var synTimestamp: UInt32?
    public internal(set) var finTimestamp: UInt32?
    /// Last advertised window in bytes (scaled once both SYNs offered window scaling, RFC 7323 §2.2).
    public internal(set) var windowBytes: UInt32 = 65535
    public internal(set) var windowShift: UInt8?
    /// TSval of its first and most recent segments that carried timestamps (RFC 7323 §3).
    public internal(set) var firstTimestamp: UInt32?
    public internal(set) var lastTimestamp: UInt32?
    public internal(set) var packets: UInt32 = 0
    public internal(set) var payloadBytes: UInt64 = 0
    public internal(set) var retransmissions: UInt32 = 0
    /// True once it sent a RST that the peer would accept.
    public internal(set) var sentReset = false

    init(state: TCPState, at time: Timestamp) {
        self.state = state
        stateSince = time
        nanosecondsInState = InlineArray(repeating: 0)
    }

    /// Moves to `next` at `time`, charging the time since the last change to the state being left.
    mutating func enter(_ next: TCPState, at time: Timestamp) {
        guard next != state else { return }
        nanosecondsInState[Int(state.rawValue)] &+= max(0, time.since(stateSince))
        state = next
        stateSince = time
    }

    /// Restarts the clock of the current state (TIME-WAIT restarts its 2MSL timer when it re-ACKs a
    /// retransmitted FIN, RFC 9293 §3.10.7.4).
    mutating func restartStateClock(at time: Timestamp) {
        nanosecondsInState[Int(state.rawValue)] &+= max(0, time.since(stateSince))
        stateSince = time
    }

    /// Time spent in `state`, counting the current state up to `now`.
    public func timeIn(_ queried: TCPState, until now: Timestamp) -> Int64 {
        let past = nanosecondsInState[Int(queried.rawValue)]
        return queried == state ? past &+ max(0, now.since(stateSince)) : past
    }
}
