/// The active closer's FIN went unacknowledged and was sent again from FIN-WAIT-1 or CLOSING
/// (orphan retries, tcp_orphan_retries), or FIN-WAIT-2 outlived tcp_fin_timeout (RFC 9293 §3.6).
struct FINWaitStalled: Classifier {
    static var kind: AnomalyKind { .finWaitStalled }
    static var advice: String {
        "The peer does not acknowledge or answer the FIN: an orphaned FIN-WAIT-1 retries per net.ipv4.tcp_orphan_retries, and FIN-WAIT-2 is bounded by net.ipv4.tcp_fin_timeout."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        let resent = e.finRetransmissions.filter { $0.senderState == .finWait1 || $0.senderState == .closing }
        if let first = resent.first {
            let side = first.sender
            let fin = side == .a ? e.firstFIN.a : e.firstFIN.b
            return Finding(
                .finWaitStalled,
                .warning,
                evidence: [fin].compactMap { $0 } + resent.map(\.moment),
                decidedAt: first.moment,
                in: g,
                "The \(g.role(side)) sent its FIN \(resent.count + 1) times from \(first.senderState) without an acknowledgment from the \(g.role(side.peer))."
            )
        }
        for side in g.client == .a ? Side.aThenB : Side.bThenA {
            let waited = g.timeIn(side, .finWait2, until: context.now)
            guard waited > context.configuration.finTimeout, let fin = side == .a ? e.firstFIN.a : e.firstFIN.b else {
                continue
            }
            return Finding(
                .finWaitStalled,
                .warning,
                evidence: [fin],
                decidedAt: context.lastMoment,
                in: g,
                "The \(g.role(side)) waited \(duration: waited) in FIN-WAIT-2 for the \(g.role(side.peer))'s FIN, longer than tcp_fin_timeout (\(duration: context.configuration.finTimeout))."
            )
        }
        return nil
    }
}
