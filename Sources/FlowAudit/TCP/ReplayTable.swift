/// The rule that handles a segment, by its receiver's state and the segment's control kind: the
/// replay's opening move (`ConnectionGeneration.apply`), in the spirit of conntrack's
/// `tcp_conntracks`. Each rule names the RFC 9293 section (or the RFC 5961 amendment) it
/// implements; the rule functions in `ConnectionReplay.swift` and `Acceptance.swift` carry out the
/// finer checks (sequence numbers, timestamps, windows).
///
/// The receiver's state is the observer's inference (`UNKNOWN` for a flow first seen midstream),
/// so rows for states the observer cannot check against (CLOSED, LISTEN, UNKNOWN) take what a
/// real receiver would take.
enum ReplayRule: UInt8, Sendable {
    /// No ACK, SYN or RST: every receiver drops it (§3.10.7.4 "fifth, check the ACK field";
    /// §3.10.7.2 "fourth, other text or control" in LISTEN). Kept as a probe.
    case dropWithoutACK
    /// RST to an endpoint whose window the observer does not know: taken (§3.10.7.1–2).
    case resetUnverifiable
    /// RST to SYN-SENT: acceptable only if it acknowledges the SYN (§3.10.7.3 "first, check the
    /// ACK bit", "second, check the RST bit"), and on Linux only if its TSecr echoes a TSval sent.
    case resetAcknowledgingSYN
    /// RST to a synchronized state: taken at RCV.NXT, challenged elsewhere in the window, dropped
    /// outside it (§3.10.7.4 "first, check sequence number"; RFC 5961 §3.2).
    case resetInWindow
    /// SYN to a closed or listening endpoint: a connection request (§3.5 Figure 6; §3.10.7.2 "third").
    case connectionRequest
    /// SYN to SYN-SENT: the SYNs crossed, a simultaneous open (§3.10.7.3 "fourth", §3.5 Figure 7).
    case simultaneousOpen
    /// SYN to a synchronized state: a retransmission of the handshake's SYN, or (both ends
    /// ESTABLISHED) answered with a challenge ACK and dropped (§3.10.7.4 "fourth"; RFC 5961 §4).
    case synInSynchronized
    /// SYN-ACK: the handshake's second step, or a retransmission of it (§3.10.7.3 "fourth"; RFC 7413
    /// for the data a Fast Open SYN carried).
    case synACK
    /// ACK or FIN to SYN-SENT: dropped unless it is the old connection's reply to a reused 4-tuple
    /// (§3.10.7.3 "fifth"; RFC 1122 §4.2.2.13 and RFC 5961 §4 for the reply).
    case withoutSYNInSYNSent
    /// ACK (with or without data) in any other state: PAWS, then the ACK field (§3.10.7.4 "fifth",
    /// RFC 7323 §5.3).
    case acknowledgment
    /// FIN to an established or closing endpoint: its sequence number must fall in the receive
    /// window (§3.10.7.4 "first", then "eighth, check the FIN bit").
    case finInWindow

    /// The section of RFC 9293 (or the amending RFC) the rule implements.
    var section: String {
        switch self {
        case .dropWithoutACK: "RFC 9293 §3.10.7.4 (fifth)"
        case .resetUnverifiable: "RFC 9293 §3.10.7.1-2"
        case .resetAcknowledgingSYN: "RFC 9293 §3.10.7.3 (first, second)"
        case .resetInWindow: "RFC 9293 §3.10.7.4 (first), RFC 5961 §3.2"
        case .connectionRequest: "RFC 9293 §3.10.7.2 (third)"
        case .simultaneousOpen: "RFC 9293 §3.10.7.3 (fourth)"
        case .synInSynchronized: "RFC 9293 §3.10.7.4 (fourth), RFC 5961 §4"
        case .synACK: "RFC 9293 §3.10.7.3 (fourth)"
        case .withoutSYNInSYNSent: "RFC 9293 §3.10.7.3 (fifth)"
        case .acknowledgment: "RFC 9293 §3.10.7.4 (fifth)"
        case .finInWindow: "RFC 9293 §3.10.7.4 (first, eighth)"
        }
    }

    /// The rule for a segment of kind `control` arriving at an endpoint in `state`.
    @inline(__always)
    static func rule(receiver state: TCPState, control: SegmentControl) -> ReplayRule {
        table[Int(state.rawValue) &* SegmentControl.allCases.count &+ Int(control.rawValue)]
    }

    /// One row per receiver state (in `TCPState` order), one column per control kind (in
    /// `SegmentControl` order: none, SYN, SYN-ACK, RST, FIN, ACK). A FIN to SYN-RECEIVED is not window-checked: the observer knows
    /// no receive window for it before the handshake ends.
    // The table is laid out by hand (aligned columns, one row per state).
    // swift-format-ignore
    private static let table: [ReplayRule] = [
        .dropWithoutACK, .connectionRequest, .synACK, .resetUnverifiable,     .acknowledgment,      .acknowledgment,  // UNKNOWN
        .dropWithoutACK, .connectionRequest, .synACK, .resetUnverifiable,     .acknowledgment,      .acknowledgment,  // CLOSED
        .dropWithoutACK, .connectionRequest, .synACK, .resetUnverifiable,     .acknowledgment,      .acknowledgment,  // LISTEN
        .dropWithoutACK, .simultaneousOpen,  .synACK, .resetAcknowledgingSYN, .withoutSYNInSYNSent, .withoutSYNInSYNSent,  // SYN-SENT
        .dropWithoutACK, .synInSynchronized, .synACK, .resetInWindow,         .acknowledgment,      .acknowledgment,  // SYN-RECEIVED
        .dropWithoutACK, .synInSynchronized, .synACK, .resetInWindow,         .finInWindow,         .acknowledgment,  // ESTABLISHED
        .dropWithoutACK, .synInSynchronized, .synACK, .resetInWindow,         .finInWindow,         .acknowledgment,  // FIN-WAIT-1
        .dropWithoutACK, .synInSynchronized, .synACK, .resetInWindow,         .finInWindow,         .acknowledgment,  // FIN-WAIT-2
        .dropWithoutACK, .synInSynchronized, .synACK, .resetInWindow,         .finInWindow,         .acknowledgment,  // CLOSE-WAIT
        .dropWithoutACK, .synInSynchronized, .synACK, .resetInWindow,         .finInWindow,         .acknowledgment,  // CLOSING
        .dropWithoutACK, .synInSynchronized, .synACK, .resetInWindow,         .finInWindow,         .acknowledgment,  // LAST-ACK
        .dropWithoutACK, .synInSynchronized, .synACK, .resetInWindow,         .finInWindow,         .acknowledgment,  // TIME-WAIT
    ]
}
