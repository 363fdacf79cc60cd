/// A new SYN reused a 4-tuple the peer still held (LAST-ACK after a lost final ACK, or TIME-WAIT).
/// The peer answered with the old connection's ACK — a challenge ACK from LAST-ACK (RFC 5961 §4),
/// or TIME-WAIT's ACK for a SYN it would not accept (RFC 1122 §4.2.2.13, RFC 6191) — the SYN's
/// sender reset it (RFC 9293 §3.10.7.3: <SEQ=SEG.ACK><CTL=RST>) and sent the SYN again.
struct RSTAfterSYNReuse: Classifier {
    static var kind: AnomalyKind { .rstAfterSYNReuse }
    static var advice: String {
        "A port was reused while the peer still held the old connection. Prefer letting the kernel pick ports; net.ipv4.tcp_tw_reuse=1 with net.ipv4.tcp_timestamps=1 makes reuse safe (RFC 6191); widen net.ipv4.ip_local_port_range if ports run out."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let syn = e.firstSYN, let reply = e.oldGenerationReply, let reset = e.reuseReset else { return nil }
        let retry = e.synRetransmissions.first { reset.time < $0.time || reset.time == $0.time }
        let evidence = [syn, reply, reset] + [retry, e.firstSYNACK].compactMap { $0 }
        let held: Explanation
        if let old = g.predecessor {
            // The old connection's TIME-WAIT side is known; the other side closed passively, so a
            // reply from it means it was still in LAST-ACK: its final ACK never arrived.
            let state = old.timeWaitSide == g.server ? "TIME-WAIT" : "LAST-ACK (the final ACK had not arrived)"
            held = "still held generation \(old.number) in \(state)"
        } else {
            held = "still held an earlier connection not seen in this capture"
        }
        var text: Explanation =
            "The server \(held) when the client's new SYN arrived: it answered with the old connection's ACK (frame \(reply.frame)), the client reset it (frame \(reset.frame))"
        if let retry, let synACK = e.firstSYNACK {
            text +=
                " and its SYN retry \(duration: retry.time.since(reset.time)) later succeeded; connect() took \(duration: synACK.time.since(syn.time))."
        } else {
            text += " and the new connection did not complete."
        }
        return Finding(.rstAfterSYNReuse, .warning, evidence: evidence, decidedAt: reset, in: g, text)
    }
}
