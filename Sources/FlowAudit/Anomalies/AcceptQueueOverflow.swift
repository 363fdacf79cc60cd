/// The handshake completed on the client, but the server's accept queue was full (listen backlog,
/// somaxconn). With tcp_abort_on_overflow=0 the server ignores the handshake ACK and data: older
/// kernels keep resending SYN-ACK; Linux 6.x marks the request acked and stays silent, so the
/// client's data is resent with backoff and never acknowledged (Captures/real/accept-queue-*).
/// With 1 the server answers with RST at once (DOMAIN.md §5).
struct AcceptQueueOverflow: Classifier {
    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let synACK = e.firstSYNACK, let handshakeACK = e.handshakeACK else { return nil }
        let client = g[g.client], server = g[g.server]
        if let last = e.synACKAfterHandshakeACK.last {
            let clientDataUnacked = client.payloadBytes > 0
                && (server.highestAcknowledgment.map { ack in client.initialSequence.map { !(($0 + 1) < ack) } ?? true } ?? true)
            guard clientDataUnacked || e.synACKAfterHandshakeACK.count >= 2 else { return nil }
            let detail: Explanation = clientDataUnacked
                ? "and never acknowledged the client's \(client.payloadBytes) bytes of data"
                : "although the client re-acknowledged each one"
            return Finding(
                .acceptQueueOverflow, .error, evidence: [synACK, handshakeACK] + e.synACKAfterHandshakeACK, decidedAt: last, in: g,
                "After the client's handshake ACK the server resent SYN-ACK \(e.synACKAfterHandshakeACK.count) times \(detail): its accept queue was full, so the ACK was dropped (tcp_abort_on_overflow=0).")
        }
        // Linux 6.x, tcp_abort_on_overflow=0: not one segment from the server after its SYN-ACK,
        // while the client sends its data again and again.
        let serverSegmentsSinceSYNACK = Int(server.packets) - 1 - e.synACKRetransmissions.count
        if client.payloadBytes > 0, client.retransmissions >= 2, serverSegmentsSinceSYNACK == 0, e.reset == nil {
            return Finding(
                .acceptQueueOverflow, .error, evidence: [synACK, handshakeACK], decidedAt: context.lastMoment, in: g,
                "After the handshake the server sent nothing: it acknowledged none of the client's data although the client sent it \(client.retransmissions + 1) times. Its accept queue was full and it ignored the connection (tcp_abort_on_overflow=0).")
        }
        // tcp_abort_on_overflow=1: the server's next segment after the handshake is a RST.
        if let reset = e.reset, reset.sender == g.server, server.payloadBytes == 0,
            server.packets == UInt32(1 + e.synACKRetransmissions.count + 1), e.firstFIN.a == nil, e.firstFIN.b == nil,
            !(reset.moment.time < handshakeACK.time)
        {
            return Finding(
                .acceptQueueOverflow, .error, evidence: [synACK, handshakeACK], decidedAt: reset.moment, in: g,
                "The server answered the client's handshake ACK with RST \(duration: reset.moment.time.since(handshakeACK.time)) later, having sent nothing else: its accept queue was full and tcp_abort_on_overflow=1 (or the application aborted right after accept()).")
        }
        return nil
    }
}
