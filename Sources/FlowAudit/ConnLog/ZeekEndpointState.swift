/// One endpoint's state as Zeek's TCP analyzer tracks it (`TCP_ENDPOINT_*`): what the endpoint
/// was seen to *send*, not the RFC 9293 state the replay infers. Zeek's `conn_state` is a
/// function of the two (`ConnState`), so the connection log keeps this model beside the replay's.
public enum ZeekEndpointState: UInt8, Sendable, CaseIterable {
    /// Nothing seen from it yet.
    case inactive
    /// It sent a SYN (or, as the originator, a SYN-ACK: `synACKSent`).
    case synSent, synACKSent
    /// Traffic without a SYN: a connection first seen midstream.
    case partial
    case established
    /// It sent a FIN.
    case closed
    /// It sent a RST.
    case reset

    /// Zeek's spelling, for tests and documentation.
    public var zeekName: String {
        switch self {
        case .inactive: "TCP_INACTIVE"
        case .synSent: "TCP_SYN_SENT"
        case .synACKSent: "TCP_SYN_ACK_SENT"
        case .partial: "TCP_PARTIAL"
        case .established: "TCP_ESTABLISHED"
        case .closed: "TCP_CLOSED"
        case .reset: "TCP_RESET"
        }
    }

    /// INACTIVE or PARTIAL: Zeek's "inactive" test in `conn_state`.
    var isInactive: Bool { self == .inactive || self == .partial }
}

/// Both endpoints' Zeek states and each one's previous state, by flow side.
struct ZeekEndpointStates: Sendable {
    private(set) var a = ZeekEndpointState.inactive, b = ZeekEndpointState.inactive
    private var previousA = ZeekEndpointState.inactive, previousB = ZeekEndpointState.inactive

    subscript(side: Side) -> ZeekEndpointState { side == .a ? a : b }
    func previous(_ side: Side) -> ZeekEndpointState { side == .a ? previousA : previousB }

    private mutating func set(_ side: Side, _ state: ZeekEndpointState) {
        if side == .a {
            previousA = a
            a = state
        } else {
            previousB = b
            b = state
        }
    }

    /// Advances the sender's (and sometimes its peer's) state for one segment, as Zeek's
    /// `TCPSessionAdapter::UpdateStateMachine` does; `isOriginator` says whether the sender is
    /// the connection's originator. (Zeek's flip of a SYN/SYN-ACK reversal is left out: the
    /// replay decides roles, `ConnectionHistory` marks a flip with `^`.)
    mutating func advance(sender: Side, isOriginator: Bool, flags: TCPFlags, payloadLength: Int) {
        let peer = sender.peer
        switch self[sender] {
        case .inactive:
            if flags.contains(.syn) {
                if isOriginator {
                    set(sender, flags.contains(.ack) ? .synACKSent : .synSent)
                } else {
                    // The responder's SYN(-ACK) establishes both (Zeek: connection_established).
                    if self[peer] == .synSent { set(peer, .established) }
                    set(sender, .established)
                }
            }
            if flags.contains(.fin) { set(sender, .closed) }
            if flags.contains(.rst) { set(sender, .reset) }
            guard self[sender] == .inactive else { return }
            let originator = isOriginator ? sender : peer
            if !isOriginator, payloadLength == 0, self[originator] == .synSent {
                // An ACK of the SYN before the SYN-ACK: not a partial connection.
            } else if flags.contains(.ack), self[peer] == .established {
                // The SYN was missed but the SYN-ACK was seen.
                set(sender, .established)
            } else {
                set(sender, .partial)
            }
        case .synSent, .synACKSent:
            if flags.contains(.fin) { set(sender, .closed) }
            if flags.contains(.rst) { set(sender, .reset) }
        case .established, .partial:
            if flags.contains(.syn), self[sender] == .partial, self[peer] == .inactive, !flags.contains(.ack) {
                set(sender, .synSent)
            }
            if flags.contains(.fin), !flags.contains(.rst) {
                set(sender, .closed)
                // A FIN after the peer's FIN-then-RST: that was a normal close after all.
                if self[peer] == .reset, previous(peer) == .closed { set(peer, .closed) }
            }
            if flags.contains(.rst) { set(sender, .reset) }
        case .closed:
            // After both FINs a RST changes nothing: the connection already closed.
            if flags.contains(.rst), self[peer] != .closed { set(sender, .reset) }
        case .reset:
            break
        }
    }
}
