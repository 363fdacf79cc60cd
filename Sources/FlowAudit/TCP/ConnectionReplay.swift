/// The transition rules: how one observed segment advances both endpoints' inferred states.
///
/// Rules follow RFC 9293 §3.10.7 ("SEGMENT ARRIVES") read from the observer's side: a segment seen
/// leaving one endpoint is assumed to reach the other, so the sender's and the receiver's states
/// both move; a retransmission later revises that assumption. Each rule cites its section.
extension ConnectionGeneration {
    /// Applies a segment sent by `sender`, seen as capture frame `frame` at `time`.
    mutating func apply(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp, cutBySnaplen: Bool) {
        if time > lastSeen { lastSeen = time }
        lastFrame = frame
        if cutBySnaplen { sawSnaplenCut = true }
        noteCounters(segment, from: sender)

        // An endpoint that reset the connection has no socket left: anything more it sends (other
        // than further RSTs) is after its own close (DOMAIN.md §3, data-after-close).
        if self[sender].sentReset && !segment.flags.contains(.rst) {
            evidence.append(sideMoment(sender, frame, time, state: .closed), to: \.dataAfterClose)
            return
        }
        if segment.flags.contains(.rst) {
            applyReset(segment, from: sender, frame: frame, time: time)
        } else if segment.flags.contains(.syn) {
            applySYN(segment, from: sender, frame: frame, time: time)
        } else if !routeOldGenerationReply(segment, from: sender, frame: frame, time: time),
            !routeStaleSegment(segment, from: sender, frame: frame, time: time)
        {
            applySynchronized(segment, from: sender, frame: frame, time: time)
        }
    }

    private mutating func noteCounters(_ segment: TCPSegment, from sender: Side) {
        // RFC 7323 §2.2: the shift applies only if both SYNs carried the option, and never to a SYN.
        let bothScale = a.windowShift != nil && b.windowShift != nil
        update(sender) { view in
            view.packets &+= 1
            view.payloadBytes &+= UInt64(segment.payloadLength)
            if let value = segment.options.timestampValue {
                if view.firstTimestamp == nil { view.firstTimestamp = value }
                view.lastTimestamp = value
            }
            if segment.flags.contains(.syn) {
                view.windowShift = segment.options.windowScale.map { min($0, 14) }
                view.windowBytes = UInt32(segment.window)
            } else {
                view.windowBytes = UInt32(segment.window) << (bothScale ? view.windowShift ?? 0 : 0)
            }
        }
    }

    func moment(_ frame: UInt64, _ time: Timestamp) -> Moment {
        Moment(frame: frame, time: time, states: states)
    }

    func sideMoment(_ sender: Side, _ frame: UInt64, _ time: Timestamp, state: TCPState) -> SideMoment {
        SideMoment(sender: sender, moment: moment(frame, time), senderState: state)
    }

    // MARK: RST

    /// RFC 9293 §3.10.7.3 (SYN-SENT): a RST is acceptable only if it acknowledges the SYN.
    /// §3.10.7.4 and RFC 5961 §3.2 (other states): acceptable if its sequence number is in the
    /// receiver's window; both endpoints are then CLOSED (a RST also ends TIME-WAIT on Linux,
    /// tcp_rfc1337=0). An unacceptable RST changes nothing and is recorded.
    private mutating func applyReset(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp) {
        let receiver = sender.peer
        // The reuse dance: the new SYN's sender resets the old connection's reply, seq = its ACK.
        if state(of: sender) == .synSent, let replyACK = evidence.oldGenerationReplyACK,
            segment.sequence == replyACK, evidence.reuseReset == nil
        {
            evidence.reuseReset = moment(frame, time)
            return
        }
        let acceptable: Bool
        switch state(of: receiver) {
        case .synSent:
            acceptable = segment.acknowledgment == self[receiver].initialSequence.map { $0 + 1 }
        case .closed, .listen, .unknown:
            acceptable = true
        default:
            if segment.sequence == self[sender].nextSequence {
                acceptable = true
            } else if let receiveNext = self[receiver].highestAcknowledgment {
                acceptable = segment.sequence.isWithin(receiveNext, length: max(self[receiver].windowBytes, 1))
            } else {
                acceptable = true
            }
        }
        let stateBefore = state(of: sender)
        guard acceptable else {
            evidence.append(sideMoment(sender, frame, time, state: stateBefore), to: \.unacceptableResets)
            return
        }
        self[sender].sentReset = true
        enter(sender, .closed, at: time)
        if state(of: receiver) != .closed { enter(receiver, .closed, at: time) }
        if evidence.reset == nil {
            evidence.reset = sideMoment(sender, frame, time, state: stateBefore)
            evidence.resetSenderState = stateBefore
        }
    }

    // MARK: SYN and SYN-ACK

    /// RFC 9293 §3.5 (the three-way handshake, Figure 6) and §3.5 Figure 7 (simultaneous open).
    private mutating func applySYN(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp) {
        let receiver = sender.peer
        let isSYNACK = segment.acknowledgment != nil
        let known = self[sender].initialSequence

        if let known, known != segment.sequence {
            // A SYN foreign to this generation's sequence space (the flow table starts a new
            // generation for a genuinely new SYN before calling here).
            noteStale(from: sender, frame, time, reason: "SYN with ISN \(segment.sequence) in a connection whose ISN is \(known)")
            return
        }
        if known != nil, isDuplicateCopy(segment, of: self[sender].synTimestamp) { return }
        if !isSYNACK {
            if known != nil {
                // Same ISN: a retransmission, never a new connection (DOMAIN.md §2).
                evidence.append(moment(frame, time), to: \.synRetransmissions)
            } else if state(of: receiver) == .synSent {
                // Figure 7: both sent SYN; each is SYN-RECEIVED once it has the other's SYN.
                startSequence(segment, for: sender)
                enter(sender, .synReceived, at: time)
                enter(receiver, .synReceived, at: time)
                evidence.simultaneousOpen = true
                evidence.peerSYN = moment(frame, time)
            } else {
                startSequence(segment, for: sender)
                client = sender
                rolesInferred = false
                enter(sender, .synSent, at: time)
                if state(of: receiver) == .closed || state(of: receiver) == .unknown { enter(receiver, .listen, at: time) }
                evidence.firstSYN = moment(frame, time)
            }
            return
        }
        // SYN-ACK.
        let acksReceiverSYN = self[receiver].initialSequence.map { segment.acknowledgment == $0 + 1 } ?? true
        guard acksReceiverSYN else {
            noteStale(from: sender, frame, time, reason: "SYN-ACK acknowledges \(segment.acknowledgment?.description ?? "-"), not this connection's SYN")
            return
        }
        if known == nil {
            startSequence(segment, for: sender)
            if self[receiver].initialSequence == nil {
                // The SYN was not captured: the SYN-ACK's sender is the server.
                client = receiver
                rolesInferred = false
            }
            enter(sender, .synReceived, at: time)
            enter(receiver, .established, at: time)
            evidence.firstSYNACK = moment(frame, time)
        } else if evidence.simultaneousOpen && evidence.firstSYNACK == nil || state(of: receiver) == .synReceived {
            // Figure 7: a SYN-ACK acknowledging the peer's SYN in a simultaneous open.
            enter(receiver, .established, at: time)
            if state(of: sender) == .synReceived && evidence.firstSYNACK != nil { enter(sender, .established, at: time) }
            if evidence.firstSYNACK == nil { evidence.firstSYNACK = moment(frame, time) }
        } else {
            // Same ISN again: the server did not get (or could not act on) the handshake ACK, so it
            // was still SYN-RECEIVED whatever the observer assumed.
            if state(of: sender) == .established { enter(sender, .synReceived, at: time) }
            evidence.append(moment(frame, time), to: \.synACKRetransmissions)
            let clientAlreadyACKed = evidence.handshakeACK != nil
                || (self[receiver].nextSequence.map { $0.distance(from: (self[receiver].initialSequence ?? $0) + 1) > 0 } ?? false)
            if clientAlreadyACKed { evidence.append(moment(frame, time), to: \.synACKAfterHandshakeACK) }
        }
    }

    private mutating func startSequence(_ segment: TCPSegment, for side: Side) {
        self[side].initialSequence = segment.sequence
        self[side].nextSequence = segment.sequence + 1
        self[side].synTimestamp = segment.options.timestampValue
    }

    /// The same packet seen twice (a capture on two interfaces, a mirror port): same TSval as the
    /// original. Without timestamps nothing can tell, and a copy counts as a retransmission.
    private func isDuplicateCopy(_ segment: TCPSegment, of original: UInt32?) -> Bool {
        guard let original, let value = segment.options.timestampValue else { return false }
        return value == original
    }

    // MARK: Routing segments of another generation

    /// While the new SYN's sender waits in SYN-SENT, a non-SYN segment from the peer that does not
    /// acknowledge the SYN comes from the old connection the peer still holds: a challenge ACK from
    /// LAST-ACK (RFC 5961 §4) or the old ACK from TIME-WAIT (RFC 1122 §4.2.2.13), or a FIN sent again.
    private mutating func routeOldGenerationReply(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp) -> Bool {
        let receiver = sender.peer
        guard state(of: receiver) == .synSent, self[sender].initialSequence == nil,
            let iss = self[receiver].initialSequence, segment.acknowledgment != iss + 1
        else { return false }
        if evidence.oldGenerationReply == nil {
            evidence.oldGenerationReply = moment(frame, time)
            evidence.oldGenerationReplyACK = segment.acknowledgment
        }
        return true
    }

    /// A segment that fits the previous generation on this 4-tuple and not this one is a delayed
    /// duplicate (RFC 9293 §3.4.1); so is one whose TSval is older than any this connection sent
    /// (PAWS, RFC 7323 §5).
    private mutating func routeStaleSegment(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp) -> Bool {
        guard let predecessor else { return false }
        if let value = segment.options.timestampValue, let first = self[sender].firstTimestamp,
            Int32(bitPattern: value &- first) < 0
        {
            self[sender].lastTimestamp = first
            noteStale(from: sender, frame, time, reason: "TSval \(value) is older than this connection's first TSval \(first) (PAWS)")
            return true
        }
        // Below this generation's ISN and inside the old one's space. (Distance alone cannot tell:
        // Linux picks the new ISN just above the old sequence space, RFC 1122 §4.2.2.13.)
        let beforeThisGeneration = self[sender].initialSequence.map { segment.sequence < $0 } ?? false
        if beforeThisGeneration && predecessor.contains(segment.sequence, sentBy: sender) {
            noteStale(from: sender, frame, time, reason: "sequence number \(segment.sequence) lies in generation \(predecessor.number)'s space")
            return true
        }
        return false
    }

    mutating func noteStale(from sender: Side, _ frame: UInt64, _ time: Timestamp, reason: String) {
        if evidence.staleSegments.count < GenerationEvidence.listLimit { evidence.staleReasons.append(reason) }
        evidence.append(sideMoment(sender, frame, time, state: state(of: sender)), to: \.staleSegments)
    }

    // MARK: Synchronized states

    /// ACK, data and FIN processing for segments without SYN or RST (§3.10.7.4, steps five to eight).
    private mutating func applySynchronized(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp) {
        let receiver = sender.peer
        let stateBefore = state(of: sender)
        let wasClosed = isClosed
        if let ack = segment.acknowledgment { applyAcknowledgment(ack, from: sender, frame: frame, time: time) }

        let length = segment.sequenceLength
        guard length > 0 else {
            noteTimeWaitReACK(segment, from: sender, stateBefore: stateBefore, frame: frame, time: time)
            return
        }
        let end = segment.sequenceEnd
        let isRetransmission = update(sender) { view in
            if let next = view.nextSequence, !(next < end) {
                view.retransmissions &+= 1
                return true
            }
            view.nextSequence = end
            return false
        }
        if segment.payloadLength > 0 {
            if let fin = self[sender].finSequence, !(segment.sequence < fin + 1) {
                // Data after the sender's own FIN (RFC 9293 §3.10.2: no SEND after CLOSE).
                evidence.append(sideMoment(sender, frame, time, state: stateBefore), to: \.dataAfterClose)
                return
            }
            if wasClosed, isRetransmission, let acked = self[receiver].highestAcknowledgment, !(acked < end) {
                noteStale(from: sender, frame, time, reason: "data already acknowledged, arriving after the connection closed")
                return
            }
        }
        if segment.flags.contains(.fin) { applyFIN(segment, from: sender, frame: frame, time: time) }
    }

    /// RFC 9293 §3.10.7.4 "fifth, check the ACK field": SYN-RECEIVED → ESTABLISHED when our SYN is
    /// acknowledged; FIN-WAIT-1 → FIN-WAIT-2, CLOSING → TIME-WAIT, LAST-ACK → CLOSED when our FIN is.
    private mutating func applyAcknowledgment(_ ack: SequenceNumber, from sender: Side, frame: UInt64, time: Timestamp) {
        let receiver = sender.peer
        update(sender) { view in
            if let highest = view.highestAcknowledgment, !(highest < ack) { return }
            view.highestAcknowledgment = ack
        }
        if state(of: receiver) == .synReceived, let iss = self[receiver].initialSequence, !(ack < iss + 1) {
            enter(receiver, .established, at: time)
            if state(of: sender) == .synReceived { enter(sender, .established, at: time) }
            if sender == client && evidence.handshakeACK == nil { evidence.handshakeACK = moment(frame, time) }
        }
        guard let fin = self[receiver].finSequence, !(ack < fin + 1) else { return }
        switch state(of: receiver) {
        case .finWait1: enter(receiver, .finWait2, at: time)
        case .closing: enter(receiver, .timeWait, at: time)
        case .lastAck:
            enter(receiver, .closed, at: time)
            if evidence.finalACK == nil { evidence.finalACK = moment(frame, time) }
        default: break
        }
    }

    /// RFC 9293 §3.10.7.4 "eighth, check the FIN bit", and §3.6 (closing a connection, Figures 12
    /// and 13). A FIN sent again revises the observer's assumption that its ACK was delivered.
    private mutating func applyFIN(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp) {
        let receiver = sender.peer
        let finSequence = segment.sequence + UInt32(truncatingIfNeeded: segment.payloadLength)
        if let known = self[sender].finSequence {
            guard known == finSequence else {
                evidence.append(sideMoment(sender, frame, time, state: state(of: sender)), to: \.dataAfterClose)
                return
            }
            if isDuplicateCopy(segment, of: self[sender].finTimestamp) { return }
            reviseAfterFINRetransmission(from: sender, time: time)
            evidence.append(sideMoment(sender, frame, time, state: state(of: sender)), to: \.finRetransmissions)
            return
        }
        self[sender].finSequence = finSequence
        self[sender].finTimestamp = segment.options.timestampValue
        let peerFIN = self[receiver].finSequence
        let senderACKedPeerFIN = peerFIN.map { fin in self[sender].highestAcknowledgment.map { !($0 < fin + 1) } ?? false } ?? false
        switch state(of: sender) {
        case .closeWait where senderACKedPeerFIN, .unknown where senderACKedPeerFIN:
            // Figure 12, passive close: CLOSE-WAIT → LAST-ACK; the peer FIN-WAIT-2 → TIME-WAIT.
            enter(sender, .lastAck, at: time)
            if state(of: receiver) == .finWait2 || state(of: receiver) == .finWait1 { enter(receiver, .timeWait, at: time) }
        case .closeWait:
            // Figure 13, simultaneous close: the FINs crossed, so the sender was really in
            // FIN-WAIT-1 and reached CLOSING with the peer's FIN; so does the peer with this one.
            enter(sender, .closing, at: time)
            if state(of: receiver) == .finWait1 { enter(receiver, .closing, at: time) }
            evidence.simultaneousClose = true
        case .established, .unknown, .synReceived, .synSent:
            // Figure 12, active close: ESTABLISHED → FIN-WAIT-1; the peer enters CLOSE-WAIT on receipt.
            enter(sender, .finWait1, at: time)
            switch state(of: receiver) {
            case .established, .unknown, .synReceived, .synSent: enter(receiver, .closeWait, at: time)
            default: break
            }
        default:
            evidence.append(sideMoment(sender, frame, time, state: state(of: sender)), to: \.dataAfterClose)
            return
        }
        if sender == .a { evidence.firstFIN.a = moment(frame, time) } else { evidence.firstFIN.b = moment(frame, time) }
    }

    /// A FIN sent again was not acknowledged, whatever the observer saw: the sender is back in the
    /// state that waits for that ACK (CLOSED → LAST-ACK, FIN-WAIT-2 → FIN-WAIT-1, TIME-WAIT →
    /// CLOSING), and a peer that never acknowledged the FIN is not assumed to have it.
    private mutating func reviseAfterFINRetransmission(from sender: Side, time: Timestamp) {
        let receiver = sender.peer
        if state(of: receiver) == .closeWait, let fin = self[sender].finSequence,
            self[receiver].highestAcknowledgment.map({ $0 < fin + 1 }) ?? true
        {
            // Never acknowledged: the peer cannot be assumed to have the FIN, so not in CLOSE-WAIT.
            enter(receiver, .established, at: time)
        }
        switch state(of: sender) {
        case .closed where !self[sender].sentReset:
            enter(sender, .lastAck, at: time)
        case .finWait2:
            enter(sender, .finWait1, at: time)
        case .timeWait where evidence.simultaneousClose:
            enter(sender, .closing, at: time)
        default: break
        }
    }

    /// TIME-WAIT answers a retransmitted FIN with a duplicate ACK and restarts its 2MSL timer
    /// (RFC 9293 §3.10.7.4, TIME-WAIT: "restart the 2 MSL timeout").
    private mutating func noteTimeWaitReACK(_ segment: TCPSegment, from sender: Side, stateBefore: TCPState, frame: UInt64, time: Timestamp) {
        guard stateBefore == .timeWait, let ack = segment.acknowledgment,
            let fin = self[sender.peer].finSequence, !(ack < fin + 1),
            evidence.finRetransmissions.contains(where: { $0.sender == sender.peer })
        else { return }
        restartStateClock(sender, at: time)
        evidence.append(moment(frame, time), to: \.timeWaitReACKs)
    }
}
