/// The server sent its SYN-ACK more than once (RFC 9293 §3.8.1; retries per tcp_synack_retries):
/// the handshake ACK was lost, or never sent. Stands down for `accept-queue-overflow`, where
/// the ACK did arrive and was ignored.
struct SYNACKRetransmitted: Classifier {
    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let synACK = e.firstSYNACK, let last = e.synACKRetransmissions.last,
            AcceptQueueOverflow.classify(g, context) == nil
        else { return nil }
        let count = e.synACKRetransmissions.count + 1
        var evidence = [synACK] + e.synACKRetransmissions
        let text: String
        if let ack = e.handshakeACK {
            evidence.append(ack)
            text = "The server sent SYN-ACK \(count) times although the client's handshake ACK (frame \(ack.frame)) was seen here: it was lost between this capture point and the server."
        } else {
            text = "The server sent SYN-ACK \(count) times and no handshake ACK from the client was seen: it was lost before this capture point or never sent."
        }
        return Finding(.synACKRetransmitted, .warning, evidence: evidence, decidedAt: last, in: g, text)
    }
}
