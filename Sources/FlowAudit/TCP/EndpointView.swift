/// What the observer knows of one endpoint of a connection generation: its inferred state, and its
/// sequence space as seen in the segments it sent (RFC 9293 §3.3.1).
public struct EndpointView: Sendable {
    /// Its state, and since when (`ConnectionGeneration.enter` keeps the time spent in each).
    public internal(set) var state: TCPState
    public internal(set) var stateSince: Timestamp

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
    }
}
