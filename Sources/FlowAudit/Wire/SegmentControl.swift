/// What a segment asks of its receiver, from its control bits: the one question most rules
/// start with. RST outranks SYN (RFC 9293 §3.10.7 checks RST first in every state but SYN-SENT,
/// where a RST without an acceptable ACK is dropped anyway); SYN outranks FIN; a segment without
/// ACK, SYN or RST (a NULL, FIN or Xmas probe) is `none`.
public enum SegmentControl: UInt8, CaseIterable, Sendable {
    /// No SYN, RST or ACK: dropped by any receiver (§3.10.7.4 "fifth, check the ACK field").
    case none
    /// SYN without ACK: a connection request (or a simultaneous open's SYN).
    case syn
    /// SYN with ACK: the handshake's second step.
    case synACK
    /// RST, with or without other bits.
    case rst
    /// FIN with ACK (and perhaps data).
    case fin
    /// ACK alone (and perhaps data).
    case ack
}

extension TCPFlags {
    /// The segment's control kind (see `SegmentControl`).
    @inlinable @inline(__always) public var control: SegmentControl {
        if contains(.rst) { return .rst }
        if contains(.syn) { return contains(.ack) ? .synACK : .syn }
        guard contains(.ack) else { return .none }
        return contains(.fin) ? .fin : .ack
    }
}
