/// The passive closer, in LAST-ACK, sent its FIN again: the active closer's final ACK did not
/// reach it (RFC 9293 §3.6, Figure 12; §3.10.7.4: TIME-WAIT re-acknowledges a retransmitted FIN and
/// restarts 2MSL — the second reason TIME-WAIT exists).
struct LostFinalACK: Classifier {
    static var kind: AnomalyKind { .lostFinalACK }
    static var advice: String {
        "The active closer's last ACK did not arrive; its TIME-WAIT re-ACKs the retransmitted FIN, which is why TIME-WAIT exists. Check loss on the path; the passive closer retries per net.ipv4.tcp_orphan_retries."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        let resent = e.finRetransmissions.filter { $0.senderState == .lastAck }
        guard let last = resent.last else { return nil }
        let passive = last.sender, active = passive.peer
        let activeFIN = active == .a ? e.firstFIN.a : e.firstFIN.b
        let passiveFIN = passive == .a ? e.firstFIN.a : e.firstFIN.b
        var evidence = [activeFIN, passiveFIN, e.finalACK].compactMap { $0 } + resent.map(\.moment) + e.timeWaitReACKs
        if let reset = e.reset { evidence.append(reset.moment) }
        var text: Explanation =
            "The \(g.role(passive)) (passive closer) sent its FIN \(resent.count + 1) times from LAST-ACK: "
        if let finalACK = e.finalACK {
            text +=
                "the \(g.role(active))'s final ACK (frame \(finalACK.frame)) was seen here but did not reach the \(g.role(passive))"
        } else {
            text += "no final ACK from the \(g.role(active)) was seen"
        }
        if !e.timeWaitReACKs.isEmpty {
            text +=
                "; the \(g.role(active))'s TIME-WAIT re-acknowledged it \(e.timeWaitReACKs.count) time\(e.timeWaitReACKs.count == 1 ? "" : "s")"
        } else if let reset = e.reset, reset.sender == active {
            text += "; the \(g.role(active)) had no TIME-WAIT left and answered with RST"
        }
        // The decision is the first FIN sent again, with the states it revealed.
        return Finding(.lostFinalACK, .warning, evidence: evidence, decidedAt: resent[0].moment, in: g, text + ".")
    }
}
