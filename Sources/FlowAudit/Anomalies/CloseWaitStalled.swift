/// An endpoint acknowledged its peer's FIN (CLOSE-WAIT, RFC 9293 §3.6) and sent no FIN of its own
/// for longer than the threshold, or until the capture ended: the application never called close().
/// A warning past the threshold; information when only the end of the capture cut it short. In a
/// live capture a timer reports it once the threshold passes, while the connection is still open.
struct CloseWaitStalled: Classifier {
    static var kind: AnomalyKind { .closeWaitStalled }
    static var advice: String {
        "The application received the peer's FIN but never called close() on the socket: a CLOSE_WAIT leak. Close the socket in the application (check error paths and connection pools); no kernel knob ends CLOSE-WAIT."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        for side in g.server == .a ? Side.aThenB : Side.bThenA {
            let view = g[side]
            let stalled = g.timeIn(side, .closeWait, until: context.now)
            let stillOpen = view.state == .closeWait
            guard stalled >= context.configuration.closeWaitThreshold || (stillOpen && context.reason != .superseded)
            else { continue }
            guard stalled > 0, let peerFIN = side.peer == .a ? g.evidence.firstFIN.a : g.evidence.firstFIN.b else {
                continue
            }
            let ownFIN = side == .a ? g.evidence.firstFIN.a : g.evidence.firstFIN.b
            let overThreshold = stalled >= context.configuration.closeWaitThreshold
            var text: Explanation =
                "The \(g.role(side)) received the \(g.role(side.peer))'s FIN (frame \(peerFIN.frame)) and "
            if let ownFIN {
                text += "sent its own FIN only \(duration: stalled) later (frame \(ownFIN.frame))"
            } else {
                text += "was still in CLOSE-WAIT \(duration: stalled) later, when \(phrase(context.reason))"
            }
            text += overThreshold ? ": its application did not close the socket." : "."
            let decided = ownFIN ?? context.lastMoment
            return Finding(
                .closeWaitStalled,
                overThreshold ? .warning : .info,
                evidence: [peerFIN],
                decidedAt: decided,
                in: g,
                text
            )
        }
        return nil
    }

    /// Live capture: due once a side has been in CLOSE-WAIT for the threshold.
    static func isDueWhileOpen(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Bool {
        let threshold = context.configuration.closeWaitThreshold
        return g.a.state == .closeWait && g.timeIn(.a, .closeWait, until: context.now) >= threshold
            || g.b.state == .closeWait && g.timeIn(.b, .closeWait, until: context.now) >= threshold
    }

    static func phrase(_ reason: FinishReason) -> String {
        switch reason {
        case .endOfCapture: "the capture ended"
        case .idle: "the flow went idle past the idle timeout"
        case .abandoned: "its client gave up"
        case .closed, .superseded: "the connection was replaced"
        case .stillOpen: "it had to be reported"
        case .shed: "it was shed to make room for newer connections"
        }
    }
}
