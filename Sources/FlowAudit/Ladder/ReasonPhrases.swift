/// Why a segment was not accepted, in the few words a ladder's note has room for (the findings
/// say it in full).
extension DiscardedSegment.Reason {
    var phrase: String {
        switch self {
        case .pawsFailed: "PAWS: TSval older than the sender's first (RFC 7323 §5.3)"
        case .unacceptableHandshakeACK: "handshake ACK outside SND.UNA..SND.NXT (RFC 9293 §3.10.7.4)"
        case .outOfWindow: "outside the receiver's window (RFC 9293 §3.10.7.4)"
        case .synInSynchronizedState: "SYN in a synchronized state: challenge ACK (RFC 5961 §4)"
        case .badChecksum: "bad checksum"
        case .synACKNotTaken: "SYN-ACK whose ISN the client did not take"
        case .noSYNInSYNSent: "no SYN or RST reaching SYN-SENT (RFC 9293 §3.10.7.3)"
        }
    }
}

extension IgnoredReset.Reason {
    var phrase: String {
        switch self {
        case .doesNotAcknowledgeSYN: "RST does not acknowledge the SYN (RFC 9293 §3.10.7.3)"
        case .echoesUnsentTimestamp: "RST echoes a TSval the client never sent"
        case .outOfWindow: "RST outside the window (RFC 5961 §3)"
        case let .connectionWentOn(frame, _): "RST taken back: the connection went on (frame \(frame))"
        }
    }
}
