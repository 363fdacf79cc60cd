/// What the observer knows of one endpoint of a connection generation: its inferred state, and its
/// sequence space as seen in the segments it sent (RFC 9293 §3.3.1).
///
/// 64 bytes: optional 32-bit values are stored plain with one presence bit each, so a view copies
/// in four vector moves (the replay reads it once per field per packet).
public struct EndpointView: Sendable {
    // Stored in this order so the layout has no padding.
    public internal(set) var stateSince: Timestamp
    public internal(set) var payloadBytes: UInt64 = 0
    public internal(set) var packets: UInt32 = 0
    public internal(set) var retransmissions: UInt32 = 0
    /// Last advertised window in bytes (scaled once both SYNs offered window scaling, RFC 7323 §2.2).
    public internal(set) var windowBytes: UInt32 = 65535
    private var iss: UInt32 = 0, sndNxt: UInt32 = 0, rcvNxt: UInt32 = 0, fin: UInt32 = 0
    private var synTSval: UInt32 = 0, finTSval: UInt32 = 0, firstTSval: UInt32 = 0, lastTSval: UInt32 = 0
    /// Its state, since `stateSince` (`ConnectionGeneration.enter` keeps the time spent in each).
    public internal(set) var state: TCPState
    /// True once it sent a RST that the peer would accept.
    public internal(set) var sentReset = false
    private var present: UInt8 = 0
    /// The window shift, `.max` for none.
    private var shift: UInt8 = .max

    init(state: TCPState, at time: Timestamp) {
        self.state = state
        stateSince = time
    }

    @inline(__always)
    private func value(_ stored: UInt32, bit: UInt8) -> UInt32? { present & bit != 0 ? stored : nil }

    /// The stored value and presence bits after setting an optional value.
    @inline(__always)
    private static func storing(_ newValue: UInt32?, over old: UInt32, present: UInt8, bit: UInt8) -> (UInt32, UInt8) {
        guard let newValue else { return (old, present & ~bit) }
        return (newValue, present | bit)
    }

    /// ISS of this endpoint (the sequence number of its SYN).
    public internal(set) var initialSequence: SequenceNumber? {
        get { value(iss, bit: 1).map(SequenceNumber.init) }
        set { (iss, present) = Self.storing(newValue?.rawValue, over: iss, present: present, bit: 1) }
    }
    /// SND.NXT as seen: the highest sequence end of any segment it sent.
    public internal(set) var nextSequence: SequenceNumber? {
        get { value(sndNxt, bit: 2).map(SequenceNumber.init) }
        set { (sndNxt, present) = Self.storing(newValue?.rawValue, over: sndNxt, present: present, bit: 2) }
    }
    /// The highest acknowledgment number it sent: its RCV.NXT as of its last segment.
    public internal(set) var highestAcknowledgment: SequenceNumber? {
        get { value(rcvNxt, bit: 4).map(SequenceNumber.init) }
        set { (rcvNxt, present) = Self.storing(newValue?.rawValue, over: rcvNxt, present: present, bit: 4) }
    }
    /// Sequence number of its FIN, once it sent one.
    public internal(set) var finSequence: SequenceNumber? {
        get { value(fin, bit: 8).map(SequenceNumber.init) }
        set { (fin, present) = Self.storing(newValue?.rawValue, over: fin, present: present, bit: 8) }
    }
    /// TSval its SYN (or SYN-ACK) and its FIN carried: a copy with the same TSval is the same
    /// packet seen twice, not a retransmission (RFC 7323 §3: a retransmission carries a new TSval).
    public internal(set) var synTimestamp: UInt32? {
        get { value(synTSval, bit: 16) }
        set { (synTSval, present) = Self.storing(newValue, over: synTSval, present: present, bit: 16) }
    }
    public internal(set) var finTimestamp: UInt32? {
        get { value(finTSval, bit: 32) }
        set { (finTSval, present) = Self.storing(newValue, over: finTSval, present: present, bit: 32) }
    }
    /// TSval of its first and most recent segments that carried timestamps (RFC 7323 §3).
    public internal(set) var firstTimestamp: UInt32? {
        get { value(firstTSval, bit: 64) }
        set { (firstTSval, present) = Self.storing(newValue, over: firstTSval, present: present, bit: 64) }
    }
    public internal(set) var lastTimestamp: UInt32? {
        get { value(lastTSval, bit: 128) }
        set { (lastTSval, present) = Self.storing(newValue, over: lastTSval, present: present, bit: 128) }
    }
    /// The window scale its SYN offered (RFC 7323 §2.3), nil if none.
    public internal(set) var windowShift: UInt8? {
        get { shift == .max ? nil : shift }
        set { shift = newValue ?? .max }
    }
}
