/// One decoded TCP segment: everything the flow analysis needs, as plain values (no payload bytes).
public struct TCPSegment: Hashable, Sendable {
    public var source: Endpoint
    public var destination: Endpoint
    /// 802.1Q VLAN id (innermost tag), combined with the outer tag for QinQ; 0 when untagged.
    public var vlan: UInt32
    public var sequence: SequenceNumber
    /// The acknowledgment number, or nil when the ACK bit is clear (RFC 9293 §3.1).
    public var acknowledgment: SequenceNumber?
    public var flags: TCPFlags
    public var window: UInt16
    /// Payload length from the IP length fields, which may exceed what the snaplen kept.
    public var payloadLength: Int
    public var options: TCPOptions
    /// IPv4's identification field (0 for IPv6, which has none outside fragments): with the
    /// sequence numbers and TSval it tells a packet captured twice from a retransmission.
    public var ipID: UInt16
    /// IPv4 TTL or IPv6 hop limit: an injected segment usually arrives with another than the
    /// real peer's.
    public var hopLimit: UInt8
    /// Whether its TCP checksum holds (SYN, FIN and RST segments captured whole only).
    public var checksum: TCPChecksum = .unchecked

    public init(
        source: Endpoint,
        destination: Endpoint,
        vlan: UInt32 = 0,
        sequence: SequenceNumber,
        acknowledgment: SequenceNumber?,
        flags: TCPFlags,
        window: UInt16 = 65535,
        payloadLength: Int = 0,
        options: TCPOptions = TCPOptions(),
        ipID: UInt16 = 0,
        hopLimit: UInt8 = 64
    ) {
        self.source = source
        self.destination = destination
        self.vlan = vlan
        self.sequence = sequence
        self.acknowledgment = acknowledgment
        self.flags = flags
        self.window = window
        self.payloadLength = payloadLength
        self.options = options
        self.ipID = ipID
        self.hopLimit = hopLimit
    }

    /// Sequence space the segment occupies: payload, plus one each for SYN and FIN (RFC 9293 §3.4).
    @inlinable public var sequenceLength: UInt32 {
        UInt32(truncatingIfNeeded: payloadLength) &+ (flags.contains(.syn) ? 1 : 0) &+ (flags.contains(.fin) ? 1 : 0)
    }

    /// The sequence number just past this segment.
    @inlinable public var sequenceEnd: SequenceNumber { sequence + sequenceLength }
}
