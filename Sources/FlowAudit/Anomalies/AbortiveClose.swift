/// The connection ended with an acceptable RST instead of FINs (RFC 9293 §3.6.1 ABORT; §3.10.7.4
/// first check). RSTs answering stray segments from an endpoint that already closed, refusals,
/// the reuse dance and accept-queue aborts are named by their own classifiers; a RST answering a
/// FIN, NULL or Xmas probe is a closed port's answer (RFC 9293 §3.10.7.1), not an abort.
struct AbortiveClose: Classifier {
    static var kind: AnomalyKind { .abortiveClose }
    static var advice: String {
        "A RST ended the connection: SO_LINGER {1, 0} before close(), close() with unread data in the receive buffer, or an application abort. Read all data before close() if a graceful FIN was intended."
    }

    static let abortableStates: Set<TCPState> = [
        .established, .unknown, .synReceived, .closeWait, .finWait1, .finWait2, .closing, .lastAck,
    ]

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let reset = e.reset, let stateBefore = e.resetSenderState, abortableStates.contains(stateBefore),
            e.firstSYNACK != nil || g.rolesInferred, e.probes.isEmpty, AcceptQueueOverflow.classify(g, context) == nil
        else { return nil }
        if stateBefore == .lastAck, LostFinalACK.classify(g, context) != nil { return nil }
        if let injected = e.undoneReset, let answer = e.resetAfterInjection, answer == reset,
            let undone = e.ignoredResets.first(where: { $0.moment == injected })
        {
            return injectedReset(undone, answer: answer, in: g)
        }
        let sender = reset.sender
        return Finding(
            .abortiveClose,
            .warning,
            evidence: [],
            decidedAt: reset.moment,
            in: g,
            "The \(g.role(sender)) reset the connection from \(stateBefore) instead of closing it with FIN (SO_LINGER {1, 0}, close() with unread data, or an abort)."
        )
    }
}

extension AbortiveClose {
    /// A RST carrying one end's address reset the other end, but that end's stack went on: the
    /// RST was injected, and the end it reached answered its peer's next segment with a RST of
    /// its own (it had no connection left). The connection ended, by a third party.
    static func injectedReset(_ injected: IgnoredReset, answer: SideMoment, in g: ConnectionGeneration) -> Finding {
        let victim = answer.sender, claimed = injected.moment.sender
        var wentOn: UInt64 = 0
        if case let .connectionWentOn(frame, _) = injected.reason { wentOn = frame }
        var text: Explanation =
            "A RST carrying the \(g.role(claimed))'s address (frame \(injected.moment.moment.frame)) reset the \(g.role(victim)): the \(g.role(claimed)) went on sending (frame \(wentOn)) and the \(g.role(victim)) answered with a RST of its own (frame \(answer.moment.frame)), having no connection left. The RST was not the \(g.role(claimed))'s: an injected RST ended the connection"
        text += RSTIgnored.tellTales(injected, in: g)
        text += "."
        return Finding(
            .abortiveClose,
            .warning,
            evidence: [injected.moment.moment],
            decidedAt: answer.moment,
            in: g,
            text
        )
    }
}
