/// Would the receiver accept this segment? The checks a receiver makes before a segment may
/// change its state, read from the observer's side. The observer knows each endpoint's sequence
/// space only from what it captured, so every check here errs towards acceptance where the
/// capture cannot tell; what it rejects, a real receiver rejects too.
extension ConnectionGeneration {
    /// Why the receiver of a RST from `sender` would discard it, or nil if it would act on it;
    /// `rule` is the RST's cell in `ReplayRule`'s table (the receiver's state decides it).
    ///
    /// - SYN-SENT (RFC 9293 §3.10.7.3): only a RST whose ACK is acceptable, SND.UNA < SEG.ACK =<
    ///   SND.NXT (the SYN, plus any data it carried with TCP Fast Open). Linux also checks an
    ///   ACK-bearing segment's TSecr against the timestamps it sent before anything else
    ///   (tcp_rcv_synsent_state_process) and drops a RST that echoes none of them.
    /// - LISTEN, CLOSED, or a state the observer does not know: taken (nothing to check against).
    /// - Synchronized states (§3.10.7.4 "first, check sequence number", RFC 5961 §3.2): a RST
    ///   outside the receive window is dropped. (One inside it but not at RCV.NXT draws a challenge
    ///   ACK; the observer may simply have missed segments, so it is taken and left to the peer's
    ///   next move, see `weighReset`.) Linux takes a RST even when it fails PAWS, so its TSval is
    ///   not checked here (tcp_validate_incoming).
    func resetRejection(_ segment: TCPSegment, from sender: Side, rule: ReplayRule) -> IgnoredReset.Reason? {
        let receiver = sender.peer
        switch rule {
        case .resetAcknowledgingSYN:
            guard let iss = self[receiver].initialSequence else { return nil }
            let sent = self[receiver].nextSequence ?? iss + 1
            guard let ack = segment.acknowledgment, iss < ack, !(sent < ack) else {
                return .doesNotAcknowledgeSYN(expected: iss + 1, got: segment.acknowledgment)
            }
            if let echo = segment.options.timestampEcho, echo != 0, let first = self[receiver].synTimestamp,
                let last = self[receiver].lastTimestamp,
                Int32(bitPattern: echo &- first) < 0 || Int32(bitPattern: last &- echo) < 0
            {
                return .echoesUnsentTimestamp(echo)
            }
            return nil
        case .resetInWindow:
            if segment.sequence == self[sender].nextSequence { return nil }
            guard let receiveNext = self[receiver].highestAcknowledgment else { return nil }
            let window = max(self[receiver].windowBytes, 1)
            if segment.sequence.isWithin(receiveNext, length: window) { return nil }
            return .outOfWindow(expected: receiveNext, window: window)
        default:
            return nil
        }
    }

    /// Why the receiver would discard a segment without SYN or RST (`rule` is its cell in
    /// `ReplayRule`'s table), or nil if it would take it: PAWS (`pawsFailure`), a FIN outside the
    /// receive window (`finOutsideWindow`), or a client in SYN-SENT, which drops anything but SYN and RST
    /// (RFC 9293 §3.10.7.3, "fifth") — here a segment that acknowledges its SYN and so claims to
    /// come from the server (one that does not is the old connection's reply, routed elsewhere).
    ///
    /// `mutating` only so that the per-packet call passes the generation by reference: called as
    /// a plain method from `apply`, the compiler copied all 544 bytes of it for every segment.
    mutating func discardReason(_ segment: TCPSegment, from sender: Side, rule: ReplayRule) -> DiscardedSegment.Reason?
    {
        switch rule {
        case .acknowledgment, .finInWindow, .withoutSYNInSYNSent: break
        default: return nil
        }
        if let paws = pawsFailure(segment, from: sender) { return paws }
        if rule == .finInWindow, let window = finOutsideWindow(segment, from: sender) { return window }
        guard rule == .withoutSYNInSYNSent, read(sender, { $0.initialSequence }) == nil,
            let ack = segment.acknowledgment,
            read(sender.peer, { $0.initialSequence }).map({ $0 + 1 == ack }) == true
        else { return nil }
        return .noSYNInSYNSent(sequence: segment.sequence)
    }

    /// RFC 9293 §3.10.7.4, "first, check sequence number", for the segment that would move a state
    /// without SYN or RST: a FIN to an established or closing receiver (`ReplayRule.finInWindow`). Its sequence number must fall in the receiver's window, RCV.NXT
    /// (the last ACK the receiver was seen to send) to RCV.NXT + RCV.WND. The observer's RCV.NXT
    /// may lag and a FIN may be resent after its ACK was lost, so a window's width on either side
    /// (at least 64 KiB) is allowed; a FIN further away (an injected one) is dropped.
    func finOutsideWindow(_ segment: TCPSegment, from sender: Side) -> DiscardedSegment.Reason? {
        let receiver = sender.peer
        guard let receiveNext = read(receiver, { $0.highestAcknowledgment }) else { return nil }
        let window = max(read(receiver, { $0.windowBytes }), 65_535)
        let finSequence = segment.sequence + UInt32(truncatingIfNeeded: segment.payloadLength)
        guard !finSequence.isWithin(receiveNext - window, length: window &* 2 &+ 1) else { return nil }
        return .outOfWindow(sequence: finSequence, expected: receiveNext, window: window)
    }

    /// PAWS (RFC 7323 §5.3): a segment whose TSval is older than the receiver's TS.Recent is
    /// discarded (RSTs excepted). TS.Recent is never older than the first TSval the sender used
    /// in this connection, so a TSval older than that one fails for certain. Only where both
    /// ends use timestamps; a generation that follows an earlier one on the 4-tuple leaves such
    /// segments to `routeStaleSegment` (a delayed duplicate of the old connection).
    @inline(__always)
    func pawsFailure(_ segment: TCPSegment, from sender: Side) -> DiscardedSegment.Reason? {
        guard let value = segment.options.timestampValue, !hasPredecessor,
            (sender == .a ? b.lastTimestamp : a.lastTimestamp) != nil,
            let first = sender == .a ? a.synTimestamp ?? a.firstTimestamp : b.synTimestamp ?? b.firstTimestamp,
            Int32(bitPattern: value &- first) < 0
        else { return nil }
        return .pawsFailed(timestamp: value, first: first)
    }
}
