/// The handshake completed on the client, but the server's accept queue was full (listen backlog,
/// somaxconn). With tcp_abort_on_overflow=0 the server ignores the handshake ACK and data: older
/// kernels keep resending SYN-ACK; Linux 6.x marks the request acked and stays silent, so the
/// client's data is resent with backoff and never acknowledged (Captures/real/accept-queue-*).
/// With 1 the server answers with RST at once (docs/domain.md §5).
///
/// Confidence (docs/domain.md §5, §6): seen at the server (or on its host), the server had the ACK and
/// dropped it: certain. Elsewhere, data the server never acknowledged makes a lost ACK unlikely
/// (a server in SYN-RECEIVED takes an acceptable data segment as the handshake's end): likely.
/// A lone handshake whose re-ACKs all went unheeded may equally have lost every ACK after the
/// capture point: possible, a warning, and the explanation says both.
struct AcceptQueueOverflow: Classifier {
    static var kind: AnomalyKind { .acceptQueueOverflow }
    static var advice: String {
        "The listen backlog is full: the application does not accept() fast enough. Raise the listen() backlog and net.core.somaxconn, and accept faster; net.ipv4.tcp_abort_on_overflow=1 turns the silent drop into a RST."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let synACK = e.firstSYNACK, let handshakeACK = e.handshakeACK else { return nil }
        let client = g[g.client], server = g[g.server]
        let seenAtServer = [.nearServer, .sameHost].contains(Vantage(handshakeOf: g))
        if let last = e.synACKAfterHandshakeACK.last {
            let clientDataUnacked =
                client.payloadBytes > 0
                && (server.highestAcknowledgment.map { ack in client.initialSequence.map { !(($0 + 1) < ack) } ?? true }
                    ?? true)
            guard clientDataUnacked || e.synACKAfterHandshakeACK.count >= 2 else { return nil }
            let confidence: Confidence = seenAtServer ? .certain : clientDataUnacked ? .likely : .possible
            var text: Explanation =
                "After the client's handshake ACK the server resent SYN-ACK \(e.synACKAfterHandshakeACK.count) times "
            text +=
                clientDataUnacked
                ? "and never acknowledged the client's \(client.payloadBytes) bytes of data"
                : "although the client re-acknowledged each one"
            if confidence == .possible {
                text +=
                    ": either its accept queue was full and it dropped the ACKs (tcp_abort_on_overflow=0), or every ACK was lost after the capture point; other handshakes to the same listener failing at the same time would point to the queue."
            } else {
                text += ": its accept queue was full, so the ACK was dropped (tcp_abort_on_overflow=0)."
            }
            return Finding(
                .acceptQueueOverflow,
                confidence == .possible ? .warning : .error,
                evidence: [synACK, handshakeACK] + e.synACKAfterHandshakeACK,
                decidedAt: last,
                in: g,
                text,
                confidence: confidence
            )
        }
        // Linux 6.x, tcp_abort_on_overflow=0: not one segment from the server after its SYN-ACK,
        // while the client sends its data again and again.
        let serverSegmentsSinceSYNACK = Int(server.packets) - 1 - e.synACKRetransmissions.count
        if client.payloadBytes > 0, client.retransmissions >= 2, serverSegmentsSinceSYNACK == 0, e.reset == nil {
            return Finding(
                .acceptQueueOverflow,
                .error,
                evidence: [synACK, handshakeACK],
                decidedAt: context.lastMoment,
                in: g,
                "After the handshake the server sent nothing: it acknowledged none of the client's data although the client sent it \(client.retransmissions + 1) times. Its accept queue was full and it ignored the connection (tcp_abort_on_overflow=0).",
                confidence: seenAtServer ? .certain : .likely
            )
        }
        // tcp_abort_on_overflow=1: the server's next segment after the handshake is a RST.
        if let reset = e.reset, reset.sender == g.server, server.payloadBytes == 0,
            server.packets == UInt32(1 + e.synACKRetransmissions.count + 1), e.firstFIN.a == nil, e.firstFIN.b == nil,
            !(reset.moment.time < handshakeACK.time)
        {
            return Finding(
                .acceptQueueOverflow,
                .error,
                evidence: [synACK, handshakeACK],
                decidedAt: reset.moment,
                in: g,
                "The server answered the client's handshake ACK with RST \(duration: reset.moment.time.since(handshakeACK.time)) later, having sent nothing else: its accept queue was full and tcp_abort_on_overflow=1 (or the application aborted right after accept()).",
                confidence: .likely
            )
        }
        return nil
    }
}

extension AcceptQueueOverflow {
    /// A `possible` overflow with `others` failed handshakes to the same listener within
    /// `ListenerPressure.window` (other ignored handshakes, unanswered SYNs) is the queue, not a
    /// coincidence of losses: `likely`, an error, and the explanation says so.
    static func weigh(_ finding: inout Finding, others: Int) {
        guard finding.confidence == .possible, others > 0 else { return }
        finding.confidence = .likely
        finding.severity = .error
        finding.sentence +=
            " Within 10 s, \(others) other handshake\(others == 1 ? "" : "s") to this listener failed as well (ignored, or unanswered SYNs): the accept queue, not a coincidence of losses."
    }
}
