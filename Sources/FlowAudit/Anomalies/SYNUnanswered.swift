/// The client's SYN (and its retransmissions) drew neither SYN-ACK nor RST (RFC 9293 §3.5; the
/// retries follow tcp_syn_retries, 1 s apart at first on newer kernels, else 1, 2, 4 … s).
/// Reported whatever the cause; `timestamp-regression` may add a possible one (a per-host PAWS drop).
struct SYNUnanswered: Classifier {
    static var kind: AnomalyKind { .synUnanswered }
    static var advice: String {
        "Check that the server listens and no firewall drops the SYN; if its SYN queue is full, raise net.ipv4.tcp_max_syn_backlog or keep net.ipv4.tcp_syncookies=1. The client gives up after net.ipv4.tcp_syn_retries."
    }

    /// Live capture: due once the first SYN has waited `synTimeout` for an answer (and this was
    /// not reported yet).
    static func isDueWhileOpen(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Bool {
        guard let syn = g.evidence.firstSYN, g.evidence.firstSYNACK == nil, g.evidence.reset == nil else {
            return false
        }
        return context.now.since(syn.time) >= context.configuration.synTimeout
            && !g.evidence.wasReportedWhileOpen(.synUnanswered)
    }

    /// The capture ended less than an initial RTO (1 s, RFC 6298 §2) after the first SYN: no
    /// answer was due yet, so the silence is no evidence (a SYN among a capture's last frames, or
    /// a live capture stopped just after it). Retries spread over a second or more are.
    static func answerCouldStillCome(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Bool {
        guard context.reason == .endOfCapture, let first = g.evidence.firstSYN else { return false }
        return context.now.since(first.time) < 1_000_000_000
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let first = e.firstSYN, e.firstSYNACK == nil, e.inferredSYNACK == nil, e.reset == nil,
            e.oldGenerationReply == nil,
            !e.simultaneousOpen, g[g.server].packets == 0,
            !answerCouldStillCome(g, context)
        else { return nil }
        let syns = [first] + e.synRetransmissions
        let last = syns.last!
        var text: Explanation = "The client sent SYN \(syns.count) time\(syns.count == 1 ? "" : "s")"
        for (index, (later, earlier)) in zip(syns.dropFirst(), syns).enumerated() {
            text += index == 0 ? " (gaps " : ", "
            text += "\(duration: later.time.since(earlier.time))"
        }
        if syns.count > 1 { text += ")" }
        text += " and got neither SYN-ACK nor RST"
        switch context.reason {
        case .endOfCapture:
            text += " before the capture ended \(duration: context.now.since(last.time)) after the last one"
        case .abandoned:
            text += "; it sent no more in the \(duration: context.now.since(last.time)) after the last one"
        default: break
        }
        return Finding(.synUnanswered, .error, evidence: syns, decidedAt: last, in: g, text + ".")
    }
}
