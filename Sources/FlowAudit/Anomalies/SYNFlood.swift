/// Many half-open connection attempts to one service within a short window
/// (`ProbeAggregates.floodAttempts` within `floodWindow`): SYNs that got a SYN-ACK and were never
/// completed, or got nothing, from many sources (spoofed or a botnet) or from one source with many
/// ISNs on the same 4-tuple. A warning, one finding per flooded service: each attempt holds a
/// SYN-queue entry (tcp_max_syn_backlog) until tcp_synack_retries run out, unless syncookies
/// answer instead.
enum SYNFlood: FindingRule {
    static var kind: AnomalyKind { .synFlood }
    static var advice: String {
        "Many half-open attempts hold SYN-queue entries: keep net.ipv4.tcp_syncookies=1 (answers with cookies once the queue is full), raise net.ipv4.tcp_max_syn_backlog, lower net.ipv4.tcp_synack_retries; filter the sources upstream if they are spoofed."
    }

    static func finding(target: Endpoint, _ flood: ProbeAggregates.Flood, states: (TCPState, TCPState)) -> Finding {
        var text: Explanation =
            "\(flood.attempts) half-open connection attempt\(flood.attempts == 1 ? "" : "s") to \(target.description) in \(duration: flood.last.since(flood.first))"
        text += " from \(flood.sources.count) source\(flood.sources.count == 1 ? "" : "s")"
        text +=
            ": \(flood.answered) answered with SYN-ACK and never completed, \(flood.attempts - flood.answered) unanswered. A SYN flood (or a storm of clients that give up), not separate broken connections."
        return Finding(
            .synFlood,
            .warning,
            frames: flood.frames,
            firstTime: flood.first,
            lastTime: flood.last,
            clientState: states.0,
            serverState: states.1,
            text
        )
    }
}
