/// Both endpoints sent a SYN without ACK: RFC 9293 §3.5, Figure 7. Legal, rare.
struct SimultaneousOpen: Classifier {
    static var kind: AnomalyKind { .simultaneousOpen }
    static var advice: String {
        "Legal but rare: both ends called connect() to each other; usually a misconfigured peer-to-peer or a port collision."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard e.simultaneousOpen, let first = e.firstSYN, let second = e.peerSYN else { return nil }
        return Finding(
            .simultaneousOpen,
            .info,
            evidence: [first],
            decidedAt: second,
            in: g,
            "Both endpoints sent a SYN (frames \(first.frame) and \(second.frame)): a simultaneous open; both passed through SYN-RECEIVED."
        )
    }
}
