/// A new generation started less than 2MSL after the previous one on the same 4-tuple entered
/// TIME-WAIT (RFC 9293 §3.4.1, RFC 1122 §4.2.2.13). Safe with timestamps (RFC 6191), so it is
/// information then and a warning without them.
struct PortReuseWithin2MSL: Classifier {
    static var kind: AnomalyKind { .portReuseWithin2MSL }
    static var advice: String {
        "A 4-tuple was reused within 2MSL (net.ipv4.tcp_tw_reuse, SO_REUSEADDR, or port exhaustion). It is safe only with timestamps (RFC 6191, net.ipv4.tcp_timestamps=1) or an ISN above the old sequence space (RFC 1122)."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        guard let old = g.predecessor, let since = old.timeWaitSince, let side = old.timeWaitSide,
            let syn = g.evidence.firstSYN
        else { return nil }
        let gap = syn.time.since(since)
        guard gap < context.configuration.timeWait else { return nil }
        let usesTimestamps = old.usedTimestamps && g[g.client].firstTimestamp != nil
        let holder = side == g.client ? "client" : "server"
        return Finding(
            .portReuseWithin2MSL,
            usesTimestamps ? .info : .warning,
            evidence: [syn],
            decidedAt: syn,
            in: g,
            "Generation \(g.number) began \(duration: gap) after generation \(old.number) left the \(holder) in TIME-WAIT, within 2MSL (\(duration: context.configuration.timeWait))"
                + (usesTimestamps
                    ? "; timestamps make the reuse safe (RFC 6191)."
                    : ", without timestamps to tell old segments from new.")
        )
    }
}
