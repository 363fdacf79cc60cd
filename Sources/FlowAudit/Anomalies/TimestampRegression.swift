/// A SYN carried a TSval older than one already seen from the same host towards the same server,
/// and went unanswered: possibly a per-host PAWS drop (RFC 7323 §5, tcp_tw_recycle behind NAT,
/// docs/domain.md §3). Only possible, and a warning: Linux clients since 4.10 start each
/// connection's timestamps at a random offset (ip-sysctl `tcp_timestamps=1`), so their TSvals are
/// not ordered across connections, and an unanswered SYN (`syn-unanswered`, reported anyway) has
/// other causes. Not reported once the server answered an older SYN from that host
/// (`HostSYNTimestamps`): it does not drop them.
struct TimestampRegression: Classifier {
    static var kind: AnomalyKind { .timestampRegression }
    static var advice: String {
        "If several hosts share this address (NAT) and the server checks timestamps per host (tcp_tw_recycle, removed in Linux 4.12; some middleboxes), such SYNs are dropped by PAWS: disable the per-host check or avoid the NAT. If the server answers other SYNs from this address whose TSvals are older still, this is only a SYN that went unanswered: see syn-unanswered."
    }

    /// Live capture: due when `syn-unanswered` is (the same unanswered SYN).
    static func isDueWhileOpen(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Bool {
        SYNUnanswered.isDueWhileOpen(g, context) && !g.evidence.wasReportedWhileOpen(.timestampRegression)
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let newest = e.synTimestampBehindHost, let syn = e.firstSYN, e.firstSYNACK == nil, e.reset == nil,
            let value = g[g.client].firstTimestamp, !SYNUnanswered.answerCouldStillCome(g, context)
        else { return nil }
        let last = e.synRetransmissions.last ?? syn
        return Finding(
            .timestampRegression,
            .warning,
            evidence: [syn] + e.synRetransmissions,
            decidedAt: last,
            in: g,
            "The client's SYN carried TSval \(value), older than TSval \(newest) already seen from \(g.key.endpoint(g.client).address), and got no answer. A server that checks timestamps per host (several hosts behind one NAT address, tcp_tw_recycle) drops such a SYN by PAWS; or the SYN went unanswered for another reason, since Linux clients start each connection's timestamps at a random offset.",
            confidence: .possible
        )
    }
}
