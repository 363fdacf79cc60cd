/// The peers' next moves confirm or overturn what the observer assumed (docs/domain.md §6): traffic
/// in the same sequence space after a RST means the RST did not take effect; an ACK of the
/// server's ISN + 1 means its SYN-ACK arrived; an ACK one past a FIN means that FIN was sent.
extension ConnectionGeneration {
    /// A non-RST segment after an accepted RST. From the RST's sender, it shows that the sender's
    /// stack still has the connection (a stack that sent a RST has no socket left, RFC 9293
    /// §3.10.7.4), so the RST was not its own. From the receiver, an ACK beyond everything the
    /// RST's sender had sent shows the sender went on sending. Either way the RST is undone. Any
    /// other segment from the receiver is a stray: it is still sending, and may never have had
    /// the RST.
    mutating func weighReset(against seen: ObservedSegment) {
        let segment = seen.segment, sender = seen.sender
        guard let undo = evidence.resetUndo, let reset = evidence.reset else { return }
        if sender == reset.sender {
            undoReset(undo, reset, wentOnAt: seen.frame)
        } else if let ack = segment.acknowledgment, let sent = undo.senderNext, sent < ack {
            undoReset(undo, reset, wentOnAt: seen.frame)
        } else {
            // The receiver's first answer, a bare ACK, is its challenge ACK (RFC 5961 §3.2).
            if evidence.strayAfterReset.isEmpty, segment.payloadLength == 0, !segment.flags.contains(.fin) {
                evidence.challengeACK = moment(seen)
            }
            evidence.append(sideMoment(seen, state: state(of: sender)), to: \.strayAfterReset)
        }
    }

    /// Puts both endpoints back where they were before the RST and records the RST as ignored.
    private mutating func undoReset(_ undo: ResetUndo, _ reset: SideMoment, wentOnAt frame: UInt64) {
        self[reset.sender].sentReset = false
        enter(.a, undo.states.a, at: reset.moment.time)
        enter(.b, undo.states.b, at: reset.moment.time)
        evidence.append(
            IgnoredReset(
                moment: reset,
                reason: .connectionWentOn(frame: frame, challengeACK: evidence.challengeACK?.frame),
                hopLimit: undo.hopLimit,
                timestampValue: undo.timestampValue
            ),
            to: \.ignoredResets
        )
        evidence.undoneReset = reset
        evidence.reset = nil
        evidence.resetSenderState = nil
        evidence.resetUndo = nil
        evidence.strayAfterReset = []
        evidence.resetReplies = 0
        evidence.challengeACK = nil
    }

    /// RFC 9293 §3.5: a client in SYN-SENT sends a plain ACK only after it received a SYN-ACK. An
    /// ACK from it at ISN + 1, with no SYN-ACK captured, proves one arrived (a one-sided capture,
    /// or one that missed it): the server's ISN is the ACK number − 1.
    mutating func inferSYNACK(from seen: ObservedSegment) {
        let segment = seen.segment, sender = seen.sender
        guard sender == client, state(of: sender) == .synSent, evidence.firstSYNACK == nil,
            evidence.inferredSYNACK == nil,
            self[sender.peer].initialSequence == nil, let ack = segment.acknowledgment,
            let iss = self[sender].initialSequence, !(segment.sequence < iss + 1)
        else { return }
        let server = sender.peer
        self[server].initialSequence = ack - 1
        self[server].nextSequence = ack
        self[server].highestAcknowledgment = self[sender].nextSequence
        enter(server, .synReceived, at: seen.time)
        enter(sender, .established, at: seen.time)
        evidence.inferredSYNACK = moment(seen)
    }

    /// An ACK from `sender` one past everything its peer was seen to send, while the sender has
    /// closed its side and the peer sits in CLOSE-WAIT: only the peer's FIN takes that one sequence
    /// number, so the FIN was sent though not captured. The peer moves to LAST-ACK (the ACK then
    /// closes it) and the sender to TIME-WAIT, as if the FIN had been seen (RFC 9293 §3.6).
    mutating func inferFIN(acknowledgedBy ack: SequenceNumber, _ seen: ObservedSegment) {
        let sender = seen.sender
        let peer = sender.peer
        guard state(of: peer) == .closeWait, self[peer].finSequence == nil, let next = self[peer].nextSequence,
            ack == next + 1,
            state(of: sender) == .finWait1 || state(of: sender) == .finWait2
        else { return }
        self[peer].finSequence = next
        self[peer].nextSequence = ack
        enter(peer, .lastAck, at: seen.time)
        enter(sender, .timeWait, at: seen.time)
        let proof = SideMoment(sender: peer, moment: moment(seen), senderState: .lastAck)
        evidence.append(proof, to: \.inferredFINs)
        if peer == .a { evidence.firstFIN.a = proof.moment } else { evidence.firstFIN.b = proof.moment }
    }
}
