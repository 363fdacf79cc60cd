/// Non-RST segments their receiver would discard, which therefore changed no state: a TSval older
/// than the first its sender used in the connection (PAWS, RFC 7323 §5.3), a handshake ACK outside
/// SND.UNA < SEG.ACK =< SND.NXT (RFC 9293 §3.10.7.4, SYN-RECEIVED: answered with RST), and a
/// SYN-ACK whose ISN the client did not take (two SYN-ACKs with different ISNs: the client's ACK
/// says which one was real). A warning when a FIN, a SYN-ACK or a handshake ACK was discarded
/// (the state it would have moved is the point); information for other segments.
struct SegmentDiscarded: Classifier {
    static var kind: AnomalyKind { .segmentDiscarded }
    static var advice: String {
        "Segments their receiver discards (PAWS with an old TSval, an unacceptable ACK, a SYN-ACK the client did not take) changed nothing: old duplicates, or segments injected by a third party or a middlebox. Compare their TTL and timestamps with the connection's; keep net.ipv4.tcp_timestamps=1 so PAWS rejects them."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let items = (g.evidence.discardedSegments.filter { !isServersOwn($0, in: g) } + g.droppedForChecksum)
            .sorted { $0.moment.moment.frame < $1.moment.moment.frame }
        guard let first = items.first else { return nil }
        let sender = first.moment.sender
        var text: Explanation = items.count == 1 ? "" : "\(items.count) segments their receiver discards; the first: "
        let what = first.flags.control == .synACK ? "SYN-ACK" : first.flags.contains(.fin) ? "FIN" : "segment"
        let article = items.count == 1 ? "A" : "a"
        switch first.reason {
        case let .pawsFailed(value, firstValue):
            text +=
                "\(article) \(what) from the \(g.role(sender))'s address (frame \(first.moment.moment.frame)) carries TSval \(value), older than the first TSval \(firstValue) the \(g.role(sender)) used in this connection: the receiver discards it (PAWS, RFC 7323 §5.3), so it changed nothing"
        case let .unacceptableHandshakeACK(got, expected):
            text +=
                "\(items.count == 1 ? "The" : "the") client's handshake ACK (frame \(first.moment.moment.frame)) acknowledges \(got), not the server's SYN-ACK (\(expected)): not acceptable in SYN-RECEIVED, so the server answers it with RST and stays there (RFC 9293 §3.10.7.4)"
        case let .outOfWindow(sequence, expected, window):
            text +=
                "\(article) \(what) from the \(g.role(sender))'s address (frame \(first.moment.moment.frame)) at sequence number \(sequence) lies outside the receiver's window (\(expected), \(window) bytes): the receiver drops it (RFC 9293 §3.10.7.4), so it closed nothing"
        case .synInSynchronizedState:
            text +=
                "\(article) SYN with a new ISN from the \(g.role(sender))'s address (frame \(first.moment.moment.frame)) reached the connection while both ends were ESTABLISHED: the receiver answers it with a challenge ACK and drops it (RFC 5961 §4), so it opened nothing (a spoofed SYN, or a reconnection that must first reset the old connection)"
        case .badChecksum:
            text +=
                "\(article) \(what == "segment" ? "SYN" : what) from the \(g.role(sender)) (frame \(first.moment.moment.frame)) had a bad TCP checksum: its receiver dropped it, and the \(g.role(sender)) had to send it again (damaged on the way, or by a broken NIC or driver)"
        case .noSYNInSYNSent:
            text +=
                "\(article) \(what) from the \(g.role(sender))'s address (frame \(first.moment.moment.frame)) reached the client in SYN-SENT without SYN or RST, outside any SYN-ACK's sequence space: the client drops it (RFC 9293 §3.10.7.3), so it changed nothing"
        case let .synACKNotTaken(isn, taken):
            text +=
                "\(items.count == 1 ? "Two" : "two") SYN-ACKs with different ISNs reached the client, which acknowledged ISN \(taken): the one with ISN \(isn) (frame \(first.moment.moment.frame)) was not taken (an injected SYN-ACK, or a middlebox's)"
        }
        let usual = sender == .a ? g.hopLimits.a : g.hopLimits.b
        if usual != 0, first.hopLimit != 0, first.hopLimit != usual {
            let hop = first.hopLimit
            text += "; its TTL \(hop) differs from the \(g.role(sender))'s \(usual)"
        }
        text += "."
        let mattered = items.contains { $0.flags.contains(.syn) || $0.flags.contains(.fin) || $0.reason.isHandshake }
        return Finding(
            .segmentDiscarded,
            mattered ? .warning : .info,
            evidence: items.map(\.moment.moment),
            decidedAt: first.moment.moment,
            in: g,
            text
        )
    }
}

extension SegmentDiscarded {
    /// A segment dropped in SYN-SENT that lies in the server's sequence space after all: the
    /// capture missed the SYN-ACK before it, not a forged segment.
    static func isServersOwn(_ item: DiscardedSegment, in g: ConnectionGeneration) -> Bool {
        guard case let .noSYNInSYNSent(sequence) = item.reason, let isn = g[g.server].initialSequence else {
            return false
        }
        let sent = UInt32(clamping: max(0, (g[g.server].nextSequence ?? isn + 1).distance(from: isn + 1)))
        return sequence.isWithin(isn + 1, length: sent &+ 1)
    }
}

extension DiscardedSegment.Reason {
    var isHandshake: Bool {
        switch self {
        case .unacceptableHandshakeACK, .badChecksum: true
        default: false
        }
    }
}
