/// A SYN carried a TSval older than one already seen from the same host on another connection,
/// and went unanswered: a per-host PAWS drop (RFC 7323 §5, and tcp_tw_recycle behind NAT, seed 002).
/// Linux randomises TSval offsets per address pair since 4.10, so this points at several hosts
/// behind one address or a per-host PAWS check on the server.
struct TimestampRegression: Classifier {
    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let newest = e.synTimestampBehindHost, let syn = e.firstSYN, e.firstSYNACK == nil, e.reset == nil,
            let value = g[g.client].firstTimestamp
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
