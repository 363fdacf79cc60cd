/// The transition rules: how one observed segment advances both endpoints' inferred states.
///
/// Rules follow RFC 9293 §3.10.7 ("SEGMENT ARRIVES") read from the observer's side: a segment seen
/// leaving one endpoint is assumed to reach the other, so the sender's and the receiver's states
/// both move; a retransmission later revises that assumption. Each rule cites its section.
extension ConnectionGeneration {
    /// Applies a segment sent by `sender`, seen as capture frame `frame` at `time`.
    ///
    /// Before a segment moves a state, the replay asks whether its receiver would accept it
    /// (RFC 9293 §3.10.7, RFC 5961, RFC 7323 §5: see `Acceptance.swift`); one that would be
    /// discarded changes nothing and is kept as evidence. An accepted RST stays open to revision
    /// until the peers' next moves confirm it (`PeerReaction.swift`).
    @inline(__always)
    mutating func apply(_ seen: ObservedSegment, cutBySnaplen: Bool) {
        let segment = seen.segment, sender = seen.sender
        let previousTime = lastSeen
        if seen.time > lastSeen { lastSeen = seen.time }
        lastFrame = seen.frame
        if cutBySnaplen { sawSnaplenCut = true }
        if isCapturedTwice(segment, from: sender, at: seen.time, previousTime: previousTime) {
            evidence.duplicates &+= 1
            return
        }
        recordHistory(segment, from: sender)
        if segment.checksum == .bad {
            evidence.append(
                DiscardedSegment(
                    moment: sideMoment(seen, state: state(of: sender)),
                    reason: .badChecksum,
                    flags: segment.flags,
                    hopLimit: segment.hopLimit
                ),
                to: \.badChecksums
            )
        }

        let control = segment.flags.control
        var rule = ReplayRule.rule(receiver: state(of: sender.peer), control: control)
        if rule == .dropWithoutACK {
            notePacket(segment, from: sender)
            evidence.append(sideMoment(seen, state: state(of: sender)), to: \.probes)
            evidence.probeFlags.formUnion(segment.flags.intersection([.fin, .psh, .urg]))
            return
        }
        if evidence.resetPending, control != .rst {
            weighReset(against: seen)
            // An undone RST restored the states the rule depends on.
            rule = ReplayRule.rule(receiver: state(of: sender.peer), control: control)
        }
        if let reason = discardReason(segment, from: sender, rule: rule) {
            notePacket(segment, from: sender)
            evidence.append(
                DiscardedSegment(
                    moment: sideMoment(seen, state: state(of: sender)),
                    reason: reason,
                    flags: segment.flags,
                    hopLimit: segment.hopLimit
                ),
                to: \.discardedSegments
            )
            return
        }
        noteCounters(segment, from: sender)
        switch rule {
        case .resetUnverifiable, .resetAcknowledgingSYN, .resetInWindow:
            applyReset(seen, rule: rule)
        case .connectionRequest, .simultaneousOpen, .synInSynchronized, .synACK:
            noteHopLimit(segment, from: sender)
            applySYN(seen)
        case .withoutSYNInSYNSent, .acknowledgment, .finInWindow, .dropWithoutACK:
            noteHopLimit(segment, from: sender)
            if !routeOldGenerationReply(seen),
                !routeStaleSegment(seen)
            {
                applySynchronized(seen)
            }
        }
    }

    /// Records the segment in Zeek's history, unless it is a plain ACK or new data that could
    /// change nothing there (`historyQuiet`): only that test is inlined into `apply`.
    @inline(__always)
    private mutating func recordHistory(_ segment: TCPSegment, from sender: Side) {
        let hasPayload = segment.payloadLength > 0
        if historyQuiet & ConnectionHistory.quietBit(sender, hasPayload: hasPayload) != 0,
            segment.flags.isDisjoint(with: [.syn, .fin, .rst]), segment.window != 0, segment.checksum != .bad,
            !hasPayload || !isRetransmission(segment, from: sender)
        {
            return
        }
        recordHistoryOutOfLine(segment, from: sender, hasPayload: hasPayload)
    }

    /// Zeek's `DidRxmit`: payload at or below the highest sequence number `sender` sent before.
    @inline(__always)
    private func isRetransmission(_ segment: TCPSegment, from sender: Side) -> Bool {
        read(sender) { view in view.nextSequence.map { !($0 < segment.sequenceEnd) } ?? false }
    }

    @inline(never)
    private mutating func recordHistoryOutOfLine(_ segment: TCPSegment, from sender: Side, hasPayload: Bool) {
        history.record(
            flags: segment.flags,
            sequence: segment.sequence.rawValue,
            payloadLength: segment.payloadLength,
            zeroWindow: segment.window == 0,
            badChecksum: segment.checksum == .bad,
            from: sender,
            isOriginator: sender == client,
            retransmitsPayload: hasPayload && !segment.flags.contains(.rst) && isRetransmission(segment, from: sender)
        )
        historyQuiet |= history.quietBits(of: sender)
    }

    /// Counts a segment that changes nothing (discarded, or a probe).
    private mutating func notePacket(_ segment: TCPSegment, from sender: Side) {
        let payload = UInt64(segment.payloadLength)
        update(sender) { view in
            view.packets &+= 1
            view.payloadBytes &+= payload
        }
    }

    /// Each side's first TTL among its non-RST segments that passed the acceptance checks (a
    /// forged segment is often the first thing seen "from" an address).
    private mutating func noteHopLimit(_ segment: TCPSegment, from sender: Side) {
        if sender == .a {
            if hopLimits.a == 0 { hopLimits.a = segment.hopLimit }
        } else if hopLimits.b == 0 {
            hopLimits.b = segment.hopLimit
        }
    }

    /// How close in time two captures of one packet must be to count as a copy: a real
    /// retransmission waits at least a retransmission timeout (Linux: 200 ms; a SYN 1 s).
    static var duplicateWindow: Int64 { 20_000_000 }

    /// The same packet captured twice (two interfaces, a SPAN of both directions): every header
    /// field the analysis reads, the IP ID included, equals the previous segment's in this flow
    /// (from the same sender), and it comes within `duplicateWindow` of it. (A retransmission has a new IP ID on Linux, a new TSval
    /// with timestamps, and comes an RTO later.)
    private mutating func isCapturedTwice(
        _ segment: TCPSegment,
        from sender: Side,
        at time: Timestamp,
        previousTime: Timestamp
    ) -> Bool {
        // Sequence and acknowledgment numbers first (they differ on nearly every packet); the
        // rest of the header is folded into a fingerprint only when they match.
        let numbers = UInt64(segment.sequence.rawValue) << 32 | UInt64(segment.acknowledgment?.rawValue ?? 0)
        let sameNumbers = numbers == previousSegment.numbers
        previousSegment.numbers = numbers
        let shape =
            UInt64(segment.flags.rawValue) << 56 | UInt64(UInt32(truncatingIfNeeded: segment.payloadLength)) << 24
            | UInt64(segment.window) << 8 | UInt64(sender.rawValue & 1) << 1 | (segment.acknowledgment == nil ? 1 : 0)
        let stamps = UInt64(segment.options.timestampValue ?? 0) << 32 | UInt64(segment.options.timestampEcho ?? 0)
        let print =
            shape &* 0xC2B2_AE3D_27D4_EB4F ^ stamps &* 0x1656_67B1_9E37_79F9 ^ UInt64(segment.ipID)
            &* 0x27D4_EB2F_1656_67C5
        let samePrint = print == previousSegment.rest
        previousSegment.rest = print
        return sameNumbers && samePrint && (sender == .a ? a.packets : b.packets) > 0
            && time.since(previousTime) < Self.duplicateWindow
    }

    private mutating func noteCounters(_ segment: TCPSegment, from sender: Side) {
        // RFC 7323 §2.2: the shift applies only if both SYNs carried the option, and never to a SYN.
        let bothScale = a.windowShift != nil && b.windowShift != nil
        // The closure captures these few values, not the whole segment (a copy per packet).
        let payload = UInt64(segment.payloadLength), window = UInt32(segment.window)
        let isSYN = segment.flags.contains(.syn), windowScale = segment.options.windowScale
        // RSTs are left out: the most often forged segment must not set the sender's TSval range.
        let timestamp = segment.flags.contains(.rst) ? nil : segment.options.timestampValue
        update(sender) { view in
            view.packets &+= 1
            view.payloadBytes &+= payload
            if let timestamp {
                if view.firstTimestamp == nil { view.firstTimestamp = timestamp }
                view.lastTimestamp = timestamp
            }
            if isSYN {
                view.windowShift = windowScale.map { min($0, 14) }
                view.windowBytes = window
            } else {
                view.windowBytes = window << (bothScale ? view.windowShift ?? 0 : 0)
            }
        }
    }

    /// The moment `seen` came, with both endpoints' states as they are now.
    func moment(_ seen: ObservedSegment) -> Moment {
        Moment(frame: seen.frame, time: seen.time, states: states)
    }

    /// `moment(seen)` with `seen`'s sender and that sender's state `state`.
    func sideMoment(_ seen: ObservedSegment, state: TCPState) -> SideMoment {
        SideMoment(sender: seen.sender, moment: moment(seen), senderState: state)
    }

    // MARK: RST

    /// RFC 9293 §3.10.7.3 (SYN-SENT): a RST is acceptable only if it acknowledges the SYN (and, on
    /// Linux, echoes a TSval the client sent). §3.10.7.4 with RFC 5961 §3 (other states): a RST at
    /// exactly RCV.NXT resets; one elsewhere in the window draws a challenge ACK; one outside is
    /// dropped. The observer may have missed segments, so an in-window RST is taken at first, and
    /// the peers' next moves confirm or overturn it (`weighReset`). A RST that fails these checks
    /// changes nothing and is recorded in `ignoredResets`.
    private mutating func applyReset(_ seen: ObservedSegment, rule: ReplayRule) {
        let segment = seen.segment, sender = seen.sender
        let receiver = sender.peer
        // The reuse dance: the new SYN's sender resets the old connection's reply, seq = its ACK.
        if state(of: sender) == .synSent, let replyACK = evidence.oldGenerationReplyACK,
            segment.sequence == replyACK, evidence.reuseReset == nil
        {
            evidence.reuseReset = moment(seen)
            return
        }
        let stateBefore = state(of: sender)
        if self[sender].sentReset {
            evidence.resetReplies &+= 1  // its answer to a stray segment: it has no socket
            return
        }
        if let reason = resetRejection(segment, from: sender, rule: rule) {
            evidence.append(
                IgnoredReset(
                    moment: sideMoment(seen, state: stateBefore),
                    reason: reason,
                    hopLimit: segment.hopLimit,
                    timestampValue: segment.options.timestampValue
                ),
                to: \.ignoredResets
            )
            return
        }
        evidence.resetUndo = ResetUndo(
            states: states,
            senderNext: self[sender].nextSequence,
            hopLimit: segment.hopLimit,
            timestampValue: segment.options.timestampValue
        )
        self[sender].sentReset = true
        enter(sender, .closed, at: seen.time)
        if state(of: receiver) != .closed { enter(receiver, .closed, at: seen.time) }
        if evidence.reset == nil {
            evidence.reset = sideMoment(seen, state: stateBefore)
            evidence.resetSenderState = stateBefore
            // Its first RST after a RST to it was undone: that one had reset it after all.
            if let undone = evidence.undoneReset, undone.sender == receiver, evidence.resetAfterInjection == nil {
                evidence.resetAfterInjection = evidence.reset
            }
        }
    }

    // MARK: SYN and SYN-ACK

    /// RFC 9293 §3.5 (the three-way handshake, Figure 6) and §3.5 Figure 7 (simultaneous open);
    /// RFC 7413 (TCP Fast Open: a SYN may carry data, and the SYN-ACK acknowledges it or not).
    private mutating func applySYN(_ seen: ObservedSegment) {
        let segment = seen.segment, sender = seen.sender
        let receiver = sender.peer
        let isSYNACK = segment.acknowledgment != nil
        let known = self[sender].initialSequence

        if let known, known != segment.sequence {
            if isSYNACK, noteSecondSYNACK(seen, known: known) { return }
            if !isSYNACK, a.state == .established, b.state == .established {
                evidence.append(
                    DiscardedSegment(
                        moment: sideMoment(seen, state: state(of: sender)),
                        reason: .synInSynchronizedState,
                        flags: segment.flags,
                        hopLimit: segment.hopLimit
                    ),
                    to: \.discardedSegments
                )
                return
            }
            // A SYN foreign to this generation's sequence space (the flow table starts a new
            // generation for a genuinely new SYN before calling here).
            noteStale(seen, reason: "SYN with ISN \(segment.sequence) in a connection whose ISN is \(known)")
            return
        }
        if known != nil, isCopyOfSYN(segment, from: sender) {
            evidence.duplicates &+= 1  // the same SYN captured again (another interface), not a retransmission
            return
        }
        if !isSYNACK {
            if known != nil {
                // Same ISN: a retransmission, never a new connection (docs/domain.md §2).
                evidence.append(moment(seen), to: \.synRetransmissions)
            } else if isAnsweredByPeersSYNACK(segment, from: sender) {
                // Captured after the SYN-ACK that answers it: the states are already past it.
                startSequence(segment, for: sender)
                evidence.firstSYN = moment(seen)
                evidence.lateSYN = moment(seen)
            } else if state(of: receiver) == .synSent {
                // Figure 7: both sent SYN; each is SYN-RECEIVED once it has the other's SYN.
                startSequence(segment, for: sender)
                enter(sender, .synReceived, at: seen.time)
                enter(receiver, .synReceived, at: seen.time)
                evidence.simultaneousOpen = true
                evidence.peerSYN = moment(seen)
            } else {
                startSequence(segment, for: sender)
                client = sender
                rolesInferred = false
                enter(sender, .synSent, at: seen.time)
                if state(of: receiver) == .closed || state(of: receiver) == .unknown {
                    enter(receiver, .listen, at: seen.time)
                }
                evidence.firstSYN = moment(seen)
            }
            return
        }
        // SYN-ACK. It acknowledges the SYN, and with TCP Fast Open any data the SYN carried
        // (RFC 7413 §3): SND.UNA < SEG.ACK =< SND.NXT of the SYN's sender.
        let acksReceiverSYN =
            self[receiver].initialSequence.map { iss in
                segment.acknowledgment.map { iss < $0 && !((self[receiver].nextSequence ?? iss + 1) < $0) } ?? false
            } ?? true
        guard acksReceiverSYN else {
            noteStale(
                seen,
                reason: "SYN-ACK acknowledges \(segment.acknowledgment?.description ?? "-"), not this connection's SYN"
            )
            return
        }
        if known == nil {
            startSequence(segment, for: sender)
            self[sender].highestAcknowledgment = segment.acknowledgment
            if self[receiver].initialSequence == nil {
                // The SYN was not captured: the SYN-ACK's sender is the server.
                client = receiver
                rolesInferred = false
            }
            enter(sender, .synReceived, at: seen.time)
            enter(receiver, .established, at: seen.time)
            evidence.firstSYNACK = moment(seen)
        } else if evidence.simultaneousOpen && evidence.firstSYNACK == nil || state(of: receiver) == .synReceived {
            // Figure 7: a SYN-ACK acknowledging the peer's SYN in a simultaneous open.
            enter(receiver, .established, at: seen.time)
            if state(of: sender) == .synReceived && evidence.firstSYNACK != nil {
                enter(sender, .established, at: seen.time)
            }
            if evidence.firstSYNACK == nil { evidence.firstSYNACK = moment(seen) }
        } else {
            // Same ISN again: the server did not get (or could not act on) the handshake ACK, so it
            // was still SYN-RECEIVED whatever the observer assumed.
            if state(of: sender) == .established { enter(sender, .synReceived, at: seen.time) }
            evidence.append(moment(seen), to: \.synACKRetransmissions)
            let clientAlreadyACKed =
                evidence.handshakeACK != nil
                || (self[receiver].nextSequence.map {
                    $0.distance(from: (self[receiver].initialSequence ?? $0) + 1) > 0
                } ?? false)
            if clientAlreadyACKed { evidence.append(moment(seen), to: \.synACKAfterHandshakeACK) }
        }
    }

    /// A SYN-ACK with another ISN than the first one seen (docs/domain.md §6): before the client's
    /// handshake ACK it is held as the alternative, and the ACK decides which one the client took
    /// (`resolveServerISN`); after it, the one not taken is discarded by the client. Returns false
    /// if this SYN-ACK is not the server's second ISN (it is then judged stale).
    private mutating func noteSecondSYNACK(_ seen: ObservedSegment, known: SequenceNumber) -> Bool {
        let segment = seen.segment, sender = seen.sender
        guard sender == server, evidence.firstSYNACK != nil, let ack = segment.acknowledgment,
            let iss = self[client].initialSequence, iss < ack, !((self[client].nextSequence ?? iss + 1) < ack)
        else { return false }
        if evidence.handshakeACK == nil,
            evidence.alternateServerISN == nil || evidence.alternateServerISN == segment.sequence
        {
            if evidence.alternateServerISN == nil {
                evidence.alternateServerISN = segment.sequence
                evidence.alternateSYNACK = moment(seen)
            }
            return true
        }
        evidence.append(
            DiscardedSegment(
                moment: sideMoment(seen, state: state(of: sender)),
                reason: .synACKNotTaken(isn: segment.sequence, taken: known),
                flags: segment.flags,
                hopLimit: segment.hopLimit
            ),
            to: \.discardedSegments
        )
        return true
    }

    /// The client's handshake ACK says which of two SYN-ACK ISNs it took: if it is the second
    /// one, the server's sequence space is re-based on it. The other SYN-ACK is recorded as
    /// discarded (an injected SYN-ACK, or one from a middlebox).
    private mutating func resolveServerISN(_ ack: SequenceNumber, _ seen: ObservedSegment) {
        guard let alternate = evidence.alternateServerISN, let alternateMoment = evidence.alternateSYNACK,
            let first = self[server].initialSequence, let firstMoment = evidence.firstSYNACK
        else { return }
        evidence.alternateServerISN = nil
        evidence.alternateSYNACK = nil
        let taken = ack == alternate + 1
        if taken {
            self[server].initialSequence = alternate
            self[server].nextSequence = alternate + 1
            evidence.firstSYNACK = alternateMoment
        }
        let notTaken = taken ? firstMoment : alternateMoment
        evidence.append(
            DiscardedSegment(
                moment: SideMoment(sender: server, moment: notTaken, senderState: .synReceived),
                reason: .synACKNotTaken(isn: taken ? first : alternate, taken: taken ? alternate : first),
                flags: [.syn, .ack],
                hopLimit: 0
            ),
            to: \.discardedSegments
        )
    }

    private mutating func startSequence(_ segment: TCPSegment, for side: Side) {
        self[side].initialSequence = segment.sequence
        // A Fast Open SYN's data takes sequence space too (RFC 7413).
        self[side].nextSequence = segment.sequenceEnd - (segment.flags.contains(.fin) ? 1 : 0)
        self[side].synTimestamp = segment.options.timestampValue
        if side == .a { synIPIDs.a = segment.ipID } else { synIPIDs.b = segment.ipID }
    }

    /// A SYN (or SYN-ACK) with the ISN already seen is a copy of the first one, not a
    /// retransmission, when it carries the same TSval (a retransmission gets a new one, RFC 7323
    /// §3) or, without timestamps, the same non-zero IPv4 ID (Linux counts it up per packet).
    /// Timing cannot tell: Linux retries a SYN 10 ms after the reuse dance's RST (docs/domain.md §5).
    private func isCopyOfSYN(_ segment: TCPSegment, from side: Side) -> Bool {
        if let original = self[side].synTimestamp, let value = segment.options.timestampValue {
            return value == original
        }
        let originalID = side == .a ? synIPIDs.a : synIPIDs.b
        return segment.options.timestampValue == nil && segment.ipID != 0 && segment.ipID == originalID
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
    private mutating func routeOldGenerationReply(_ seen: ObservedSegment) -> Bool {
        let segment = seen.segment, sender = seen.sender
        let receiver = sender.peer
        guard state(of: receiver) == .synSent, self[sender].initialSequence == nil,
            let iss = self[receiver].initialSequence, segment.acknowledgment != iss + 1
        else { return false }
        if evidence.oldGenerationReply == nil {
            evidence.oldGenerationReply = moment(seen)
            evidence.oldGenerationReplyACK = segment.acknowledgment
        }
        return true
    }

    /// A segment that fits the previous generation on this 4-tuple and not this one is a delayed
    /// duplicate (RFC 9293 §3.4.1); so is one whose TSval is older than any this connection sent
    /// (PAWS, RFC 7323 §5).
    private mutating func routeStaleSegment(_ seen: ObservedSegment) -> Bool {
        let segment = seen.segment, sender = seen.sender
        guard let predecessor else { return false }
        if let value = segment.options.timestampValue, let first = self[sender].firstTimestamp,
            Int32(bitPattern: value &- first) < 0
        {
            self[sender].lastTimestamp = first
            noteStale(seen, reason: "TSval \(value) is older than this connection's first TSval \(first) (PAWS)")
            return true
        }
        // Below this generation's ISN and inside the old one's space. (Distance alone cannot tell:
        // Linux picks the new ISN just above the old sequence space, RFC 1122 §4.2.2.13.)
        let beforeThisGeneration = self[sender].initialSequence.map { segment.sequence < $0 } ?? false
        if beforeThisGeneration && predecessor.contains(segment.sequence, sentBy: sender) {
            noteStale(
                seen,
                reason: "sequence number \(segment.sequence) lies in generation \(predecessor.number)'s space"
            )
            return true
        }
        return false
    }

    /// Records `seen` as a stale segment (a delayed duplicate of another connection), and why.
    mutating func noteStale(_ seen: ObservedSegment, reason: String) {
        if evidence.staleSegments.count < GenerationEvidence.listLimit { evidence.staleReasons.append(reason) }
        evidence.append(sideMoment(seen, state: state(of: seen.sender)), to: \.staleSegments)
    }

    // MARK: Synchronized states

    /// ACK, data and FIN processing for segments without SYN or RST (§3.10.7.4, steps five to eight).
    private mutating func applySynchronized(_ seen: ObservedSegment) {
        let segment = seen.segment, sender = seen.sender
        let receiver = sender.peer
        if state(of: sender) == .synSent { inferSYNACK(from: seen) }
        let stateBefore = state(of: sender)
        let wasClosed = isClosed
        if let ack = segment.acknowledgment {
            guard applyAcknowledgment(ack, seen) else { return }
        }

        let length = segment.sequenceLength
        guard length > 0 else {
            noteTimeWaitReACK(seen, stateBefore: stateBefore)
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
                evidence.append(sideMoment(seen, state: stateBefore), to: \.dataAfterClose)
                return
            }
            if wasClosed, isRetransmission, let acked = self[receiver].highestAcknowledgment, !(acked < end) {
                noteStale(seen, reason: "data already acknowledged, arriving after the connection closed")
                return
            }
        }
        if segment.flags.contains(.fin) { applyFIN(seen) }
    }

    /// RFC 9293 §3.10.7.4 "fifth, check the ACK field": SYN-RECEIVED → ESTABLISHED when our SYN is
    /// acknowledged, SND.UNA < SEG.ACK =< SND.NXT (otherwise the segment is not acceptable: the
    /// receiver answers with RST and drops it, and false is returned); FIN-WAIT-1 → FIN-WAIT-2,
    /// CLOSING → TIME-WAIT, LAST-ACK → CLOSED when our FIN is.
    private mutating func applyAcknowledgment(_ ack: SequenceNumber, _ seen: ObservedSegment) -> Bool {
        let segment = seen.segment, sender = seen.sender
        let receiver = sender.peer
        if sender == client, evidence.handshakeACK == nil, evidence.alternateServerISN != nil {
            resolveServerISN(ack, seen)
        }
        if state(of: receiver) == .synReceived, let iss = self[receiver].initialSequence {
            let sent = self[receiver].nextSequence ?? iss + 1
            guard iss < ack, !(sent < ack) else {
                evidence.append(
                    DiscardedSegment(
                        moment: sideMoment(seen, state: state(of: sender)),
                        reason: .unacceptableHandshakeACK(got: ack, expected: iss + 1),
                        flags: segment.flags,
                        hopLimit: segment.hopLimit
                    ),
                    to: \.discardedSegments
                )
                return false
            }
        }
        update(sender) { view in
            if let highest = view.highestAcknowledgment, !(highest < ack) { return }
            view.highestAcknowledgment = ack
        }
        if state(of: receiver) == .synReceived {
            enter(receiver, .established, at: seen.time)
            if state(of: sender) == .synReceived { enter(sender, .established, at: seen.time) }
            if sender == client && evidence.handshakeACK == nil { evidence.handshakeACK = moment(seen) }
        }
        if state(of: receiver) == .closeWait { inferFIN(acknowledgedBy: ack, seen) }
        guard let fin = self[receiver].finSequence, !(ack < fin + 1) else { return true }
        switch state(of: receiver) {
        case .finWait1: enter(receiver, .finWait2, at: seen.time)
        case .closing: enter(receiver, .timeWait, at: seen.time)
        case .lastAck:
            enter(receiver, .closed, at: seen.time)
            if evidence.finalACK == nil { evidence.finalACK = moment(seen) }
        default: break
        }
        return true
    }

    /// RFC 9293 §3.10.7.4 "eighth, check the FIN bit", and §3.6 (closing a connection, Figures 12
    /// and 13). A FIN sent again revises the observer's assumption that its ACK was delivered.
    private mutating func applyFIN(_ seen: ObservedSegment) {
        let segment = seen.segment, sender = seen.sender
        let receiver = sender.peer
        let finSequence = segment.sequence + UInt32(truncatingIfNeeded: segment.payloadLength)
        if let known = self[sender].finSequence {
            guard known == finSequence else {
                evidence.append(sideMoment(seen, state: state(of: sender)), to: \.dataAfterClose)
                return
            }
            if isDuplicateCopy(segment, of: self[sender].finTimestamp) { return }
            reviseAfterFINRetransmission(from: sender, time: seen.time)
            evidence.append(sideMoment(seen, state: state(of: sender)), to: \.finRetransmissions)
            return
        }
        self[sender].finSequence = finSequence
        self[sender].finTimestamp = segment.options.timestampValue
        let peerFIN = self[receiver].finSequence
        let senderACKedPeerFIN =
            peerFIN.map { fin in self[sender].highestAcknowledgment.map { !($0 < fin + 1) } ?? false } ?? false
        switch state(of: sender) {
        case .closeWait where senderACKedPeerFIN, .unknown where senderACKedPeerFIN:
            // Figure 12, passive close: CLOSE-WAIT → LAST-ACK; the peer FIN-WAIT-2 → TIME-WAIT.
            enter(sender, .lastAck, at: seen.time)
            if state(of: receiver) == .finWait2 || state(of: receiver) == .finWait1 {
                enter(receiver, .timeWait, at: seen.time)
            }
        case .closeWait:
            // Figure 13, simultaneous close: the FINs crossed, so the sender was really in
            // FIN-WAIT-1 and reached CLOSING with the peer's FIN; so does the peer with this one.
            enter(sender, .closing, at: seen.time)
            if state(of: receiver) == .finWait1 { enter(receiver, .closing, at: seen.time) }
            evidence.simultaneousClose = true
        case .established, .unknown, .synReceived, .synSent:
            // Figure 12, active close: ESTABLISHED → FIN-WAIT-1; the peer enters CLOSE-WAIT on receipt.
            enter(sender, .finWait1, at: seen.time)
            switch state(of: receiver) {
            case .established, .unknown, .synReceived, .synSent: enter(receiver, .closeWait, at: seen.time)
            default: break
            }
        default:
            evidence.append(sideMoment(seen, state: state(of: sender)), to: \.dataAfterClose)
            return
        }
        if sender == .a { evidence.firstFIN.a = moment(seen) } else { evidence.firstFIN.b = moment(seen) }
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
    private mutating func noteTimeWaitReACK(_ seen: ObservedSegment, stateBefore: TCPState) {
        let segment = seen.segment, sender = seen.sender
        guard stateBefore == .timeWait, let ack = segment.acknowledgment,
            let fin = self[sender.peer].finSequence, !(ack < fin + 1),
            evidence.finRetransmissions.contains(where: { $0.sender == sender.peer })
        else { return }
        restartStateClock(sender, at: seen.time)
        evidence.append(moment(seen), to: \.timeWaitReACKs)
    }
}
