/// Where a segment falls among the connection generations of its 4-tuple: the one place that
/// decides whether a segment starts a new connection (RFC 9293 §3.5; docs/domain.md §2).
enum GenerationBoundary {
    /// It belongs to the generation at hand (or is late evidence about a closed one).
    case sameGeneration
    /// A SYN with a new ISN: a new connection on the 4-tuple.
    case newGeneration
    /// The previous generation's SYN sent again: a stale segment of the connection before.
    case previousGenerationSYN
}

extension ConnectionGeneration {
    /// A SYN with a new ISN starts a new generation; the same ISN again is a retransmission, a SYN
    /// answering a SYN-SENT peer is a simultaneous open, and a SYN that the peer's SYN-ACK
    /// (captured first) already acknowledged is this generation's own. A SYN reaching a connection
    /// both of whose ends are ESTABLISHED does not either: RFC 5961 §4 has the receiver answer it
    /// with a challenge ACK and drop it (a real reconnection then resets the old connection and
    /// retries, which starts the new generation). A new ISN that is the previous generation's
    /// is that generation's SYN sent again.
    @inline(__always)
    func boundary(of segment: TCPSegment, from sender: Side) -> GenerationBoundary {
        guard segment.flags.control == .syn else { return .sameGeneration }
        if a.state == .established && b.state == .established { return .sameGeneration }
        let known = read(sender, { $0.initialSequence })
        if known == segment.sequence { return .sameGeneration }
        if known == nil {
            if state(of: sender.peer) == .synSent { return .sameGeneration }
            if isAnsweredByPeersSYNACK(segment, from: sender) { return .sameGeneration }
        }
        if hasPredecessor, predecessor?.initialSequence(of: sender) == segment.sequence {
            return .previousGenerationSYN
        }
        return .newGeneration
    }
}

extension GenerationSummary {
    /// After a generation was judged and summarised, a SYN with another ISN than its own starts
    /// the next; anything else is late evidence about it (`LateEvidence`).
    func boundary(of segment: TCPSegment, from sender: Side) -> GenerationBoundary {
        segment.flags.control == .syn && initialSequence(of: sender) != segment.sequence
            ? .newGeneration : .sameGeneration
    }
}
