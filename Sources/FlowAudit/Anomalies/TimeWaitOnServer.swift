/// The server (the SYN's responder) closed first, so TIME-WAIT sits on the server (RFC 9293 §3.6:
/// the active closer holds TIME-WAIT for 2MSL). Information: one per connection adds up and can exhaust ports (docs/domain.md §3).
/// Not said after a simultaneous open, where neither end is the server.
struct TimeWaitOnServer: Classifier {
    static var kind: AnomalyKind { .timeWaitOnServer }
    static var advice: String {
        "The server closed first, so TIME-WAIT sits on the server and ties up its 4-tuples for 2MSL. Let clients close first (HTTP keep-alive, Connection: close from the client), or bound it with net.ipv4.tcp_max_tw_buckets; net.ipv4.tcp_tw_reuse only helps outgoing connections. tcp_tw_recycle was removed in Linux 4.12."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard !g.rolesInferred || g.evidence.firstSYNACK != nil, !e.simultaneousClose, !e.simultaneousOpen,
            let serverFIN = g.server == .a ? e.firstFIN.a : e.firstFIN.b,
            g.state(of: g.server) == .timeWait || g.timeIn(g.server, .timeWait, until: context.now) > 0
        else { return nil }
        let clientFIN = g.client == .a ? e.firstFIN.a : e.firstFIN.b
        if let clientFIN, clientFIN.time < serverFIN.time { return nil }
        let decided = e.finalACK ?? clientFIN ?? serverFIN
        return Finding(
            .timeWaitOnServer,
            .info,
            evidence: [serverFIN, clientFIN].compactMap { $0 },
            decidedAt: decided,
            in: g,
            "The server closed first (FIN in frame \(serverFIN.frame)), so the server holds this 4-tuple in TIME-WAIT for 2MSL."
        )
    }
}
