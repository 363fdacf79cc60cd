/// The connection ended with an acceptable RST instead of FINs (RFC 9293 §3.6.1 ABORT; §3.10.7.4
/// first check). RSTs answering stray segments from an endpoint that already closed, refusals,
/// the reuse dance and accept-queue aborts are named by their own classifiers; a RST answering a
/// FIN, NULL or Xmas probe is a closed port's answer (RFC 9293 §3.10.7.1), not an abort.
struct AbortiveClose: Classifier {
    static let abortableStates: Set<TCPState> = [
        .established, .unknown, .synReceived, .closeWait, .finWait1, .finWait2, .closing, .lastAck,
    ]

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let reset = e.reset, let stateBefore = e.resetSenderState, abortableStates.contains(stateBefore),
            e.firstSYNACK != nil || g.rolesInferred, e.probes.isEmpty, AcceptQueueOverflow.classify(g, context) == nil
        else { return nil }
        if stateBefore == .lastAck, LostFinalACK.classify(g, context) != nil { return nil }
        let sender = reset.sender
        return Finding(
            .abortiveClose, .warning, evidence: [], decidedAt: reset.moment, in: g,
            "The \(g.role(sender)) reset the connection from \(stateBefore) instead of closing it with FIN (SO_LINGER {1, 0}, close() with unread data, or an abort).")
    }
}
