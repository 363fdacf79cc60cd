/// A RST that did not end the connection. Either its receiver would discard it (RFC 9293
/// §3.10.7.3 in SYN-SENT: it must acknowledge the SYN; RFC 5961 §3 elsewhere: outside the window
/// it is dropped; Linux in SYN-SENT also drops a RST whose TSecr echoes no TSval it sent), or
/// the connection went on after it in the same sequence space (the RST's sender still had the
/// connection, so the RST was not its own). Both point at a forged or injected RST, and its TTL
/// and TSval, compared with the real peer's, usually confirm it. Or the RST was real (its sender
/// answered later segments with bare RSTs) but its receiver kept sending for longer than a
/// retransmission timeout: it never had the RST, lost after the capture point, or it judged it
/// outside its window: from here the two cannot be told apart.
struct RSTIgnored: Classifier {
    static var kind: AnomalyKind { .rstIgnored }
    static var advice: String {
        "A RST that did not end the connection: a forged or injected RST (censorship, an attack, an IDS test: compare its TTL and TSval with the real peer's), or one lost after the capture point. Keep net.ipv4.tcp_timestamps=1; Linux follows RFC 5961 (challenge ACKs, net.ipv4.tcp_challenge_ack_limit) and ignores RSTs outside the window."
    }

    /// A receiver still sending this long after a RST it had received would be a broken stack:
    /// Linux's smallest retransmission timeout.
    static let strayDelay: Int64 = 200_000_000

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        // A RST its receiver did take (it answered its peer with RSTs afterwards) is told by
        // `AbortiveClose`, not here.
        let ignored = e.ignoredResets.filter { !(e.resetAfterInjection != nil && $0.moment == e.undoneReset) }
        if let first = ignored.first {
            let sender = first.moment.sender
            let count = ignored.count
            var text: Explanation =
                count == 1
                ? "A RST from the \(g.role(sender))'s address"
                : "\(count) RSTs; the first, from the \(g.role(sender))'s address"
            text += " (frame \(first.moment.moment.frame)) did not end the connection: "
            switch first.reason {
            case let .doesNotAcknowledgeSYN(expected, got):
                text +=
                    "in SYN-SENT a RST must acknowledge the SYN (\(expected)) but it acknowledges \(got?.description ?? "nothing"), so the client discards it (RFC 9293 §3.10.7.3)"
            case let .echoesUnsentTimestamp(echo):
                text += "its TSecr \(echo) echoes no TSval the client sent, so Linux in SYN-SENT drops it"
            case let .outOfWindow(expected, window):
                text +=
                    "its sequence number lies outside the receiver's window (\(expected), \(window) bytes), so the receiver drops it (RFC 5961 §3)"
            case let .connectionWentOn(frame, challengeACK):
                if let challengeACK {
                    text +=
                        "the receiver answered it with a challenge ACK (frame \(challengeACK), RFC 5961 §3.2: in the window but not at its edge) and "
                }
                text +=
                    "the connection went on in the same sequence space (frame \(frame)), so the RST never took effect"
            }
            text += tellTales(first, in: g)
            text += "."
            return Finding(
                .rstIgnored,
                .warning,
                evidence: ignored.map(\.moment.moment),
                decidedAt: first.moment.moment,
                in: g,
                text
            )
        }
        guard let reset = e.reset, let lastStray = e.strayAfterReset.last,
            lastStray.moment.time.since(reset.moment.time) >= strayDelay
        else { return nil }
        let receiver = reset.sender.peer
        var text: Explanation =
            "The \(g.role(receiver)) kept sending for \(duration: lastStray.moment.time.since(reset.moment.time)) after the \(g.role(reset.sender))'s RST (frame \(reset.moment.frame)): \(e.strayAfterReset.count) segment\(e.strayAfterReset.count == 1 ? "" : "s")"
        if e.resetReplies > 0 { text += ", answered by \(e.resetReplies) bare RST\(e.resetReplies == 1 ? "" : "s")" }
        text +=
            ". The RST never reached it (lost after the capture point), or it judged it outside its window (RFC 5961 §3)."
        return Finding(
            .rstIgnored,
            .warning,
            evidence: e.strayAfterReset.map(\.moment),
            decidedAt: reset.moment,
            in: g,
            text,
            confidence: .likely
        )
    }

    /// TSval ticks a RST may stray outside its supposed sender's range before it is called out
    /// (a second at Linux's 1 kHz clock).
    static let slack: Int32 = 1_000

    /// What sets the RST apart from its supposed sender's real segments: TTL and TSval.
    static func tellTales(_ reset: IgnoredReset, in g: ConnectionGeneration) -> Explanation {
        let sender = reset.moment.sender
        var text: Explanation = ""
        let usual = sender == .a ? g.hopLimits.a : g.hopLimits.b
        if usual != 0, usual != reset.hopLimit {
            text += "; its TTL \(reset.hopLimit) differs from the \(g.role(sender))'s \(usual)"
        }
        if let value = reset.timestampValue, let first = g[sender].firstTimestamp, let last = g[sender].lastTimestamp,
            Int32(bitPattern: value &- first) < -slack || Int32(bitPattern: value &- last) > slack
        {
            text += "; its TSval \(value) lies outside the \(g.role(sender))'s \(first)…\(last)"
        } else if reset.timestampValue == nil, g[sender].lastTimestamp != nil {
            text += "; it carries no timestamps though the \(g.role(sender)) uses them"
        }
        return text
    }
}
