/// A SYN carried a TSval older than one already seen from the same host on another connection,
/// and went unanswered: a per-host PAWS drop (RFC 7323 §5, and tcp_tw_recycle behind NAT, docs/domain.md §3).
/// Linux randomises TSval offsets per address pair since 4.10, so this points at several hosts
/// behind one address or a per-host PAWS check on the server.
struct TimestampRegression: Classifier {
    static var kind: AnomalyKind { .timestampRegression }
    static var advice: String {
        "A SYN carried a TSval older than one already seen from the same host and went unanswered: a PAWS drop, typically several hosts behind one NAT address with per-host timestamp checks (tcp_tw_recycle, removed in Linux 4.12). Disable per-host PAWS on the server or avoid the NAT."
    }

    /// Live capture: due when `syn-unanswered` is (the same unanswered SYN).
    static func isDueWhileOpen(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Bool {
        SYNUnanswered.isDueWhileOpen(g, context)
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let newest = e.synTimestampBehindHost, let syn = e.firstSYN, e.firstSYNACK == nil, e.reset == nil,
            let value = g[g.client].firstTimestamp, !SYNUnanswered.answerCouldStillCome(g, context)
        else { return nil }
        let last = e.synRetransmissions.last ?? syn
        return Finding(
            .timestampRegression,
            .error,
            evidence: [syn] + e.synRetransmissions,
            decidedAt: last,
            in: g,
            "The client's SYN carried TSval \(value), older than TSval \(newest) already seen from \(g.key.endpoint(g.client).address), and got no answer: the server dropped it by PAWS."
        )
    }
}
