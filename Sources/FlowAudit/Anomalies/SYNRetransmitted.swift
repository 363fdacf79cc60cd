/// The handshake completed, but only after the client sent its SYN more than once (RFC 9293 §3.8.1
/// retransmission). Stands down for `rst-after-syn-reuse`, whose dance resends the SYN by design.
struct SYNRetransmitted: Classifier {
    static var kind: AnomalyKind { .synRetransmitted }
    static var advice: String {
        "SYN loss or a full SYN queue on the server: check net.ipv4.tcp_max_syn_backlog, net.ipv4.tcp_syncookies and path loss; each lost SYN costs the client a full RTO (1 s)."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let first = e.firstSYN, let synACK = e.firstSYNACK, !e.synRetransmissions.isEmpty,
            e.reuseReset == nil
        else { return nil }
        let delay = synACK.time.since(first.time)
        return Finding(
            .synRetransmitted,
            .warning,
            evidence: [first] + e.synRetransmissions + [synACK],
            decidedAt: synACK,
            in: g,
            "The client sent SYN \(e.synRetransmissions.count + 1) times; the SYN-ACK came \(duration: delay) after the first, delaying connect() by that much."
        )
    }
}
