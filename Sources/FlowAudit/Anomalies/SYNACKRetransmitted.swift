/// The server sent its SYN-ACK more than once (RFC 9293 §3.8.1; retries per tcp_synack_retries):
/// the handshake ACK was lost, or never sent. Stands down for `accept-queue-overflow`, where
/// the ACK did arrive and was ignored.
struct SYNACKRetransmitted: Classifier {
    static var kind: AnomalyKind { .synACKRetransmitted }
    static var advice: String {
        "The server resent its SYN-ACK: the client's handshake ACK was lost or never sent. Retries are bounded by net.ipv4.tcp_synack_retries."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let synACK = e.firstSYNACK, let last = e.synACKRetransmissions.last,
            AcceptQueueOverflow.classify(g, context) == nil
        else { return nil }
        let count = e.synACKRetransmissions.count + 1
        var evidence = [synACK] + e.synACKRetransmissions
        var text: Explanation = "The server sent SYN-ACK \(count) times"
        if let ack = e.handshakeACK {
            evidence.append(ack)
            if ack.frame < e.synACKRetransmissions[0].frame {
                text +=
                    " although the client's handshake ACK (frame \(ack.frame)) was seen here first: it was lost between this capture point and the server."
            } else {
                text +=
                    "; no handshake ACK from the client was seen before the first resend (lost before this capture point, or never sent), and the ACK in frame \(ack.frame) completed the handshake."
            }
        } else {
            text += " and no handshake ACK from the client was seen: lost before this capture point, or never sent."
        }
        return Finding(.synACKRetransmitted, .warning, evidence: evidence, decidedAt: last, in: g, text)
    }
}
