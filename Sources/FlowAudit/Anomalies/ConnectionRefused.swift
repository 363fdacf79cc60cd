/// A RST answered the SYN: RFC 9293 §3.10.7.1, a SYN to a CLOSED port is answered with
/// <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>, which the SYN-SENT side accepts (§3.10.7.3).
struct ConnectionRefused: Classifier {
    static var kind: AnomalyKind { .connectionRefused }
    static var advice: String {
        "Nothing listens on that port (or it closed its listen socket): start the service or fix the client's port; a firewall REJECT rule also answers with RST."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let syn = e.firstSYN, let reset = e.reset, reset.sender == g.server, e.firstSYNACK == nil,
            e.reuseReset == nil
        else { return nil }
        let tries = e.synRetransmissions.count + 1
        return Finding(
            .connectionRefused,
            .error,
            evidence: [syn] + e.synRetransmissions,
            decidedAt: reset.moment,
            in: g,
            "The server answered the client's SYN\(tries > 1 ? " (sent \(tries) times)" : "") with RST \(duration: reset.moment.time.since(syn.time)) later: no socket listens on port \(g.key.endpoint(g.server).port)."
        )
    }
}
