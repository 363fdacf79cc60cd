/// What a connection generation looks like when it is one probe of a scan or one attempt of a
/// flood, not a connection anyone meant to use (docs/domain.md §6): its initiator sent nothing but a
/// SYN (retried, or reset when answered: nmap's half-open scan), a segment without ACK (FIN,
/// NULL or Xmas probe, RFC 9293 §3.10.7.1 makes a closed port answer it with RST), or a lone
/// bare ACK answered with RST (an ACK probe).
public struct Probe: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case syn = "SYN", fin = "FIN", null = "NULL", xmas = "Xmas", ack = "ACK"
    }

    /// How the target answered: SYN-ACK (open), RST (closed), nothing (filtered, or open for
    /// FIN/NULL/Xmas probes, which an open port ignores).
    public enum Answer: Sendable, Hashable {
        case synACK, reset, none
    }

    public var source: IPAddress
    public var target: Endpoint
    public var kind: Kind
    public var answer: Answer
    public var time: Timestamp
    public var frame: UInt64
    /// The SYN was sent more than once: a real TCP stack retrying, which flood tools do not do.
    public var retried = false

    /// The probe `g` is, or nil if it is anything more than a probe.
    init?(_ g: ConnectionGeneration) {
        let e = g.evidence
        if let first = e.probes.first {
            let prober = first.sender
            guard g[prober].payloadBytes == 0, Int(g[prober].packets) == e.probes.count else { return nil }
            let flags = e.probeFlags
            self.init(
                g,
                prober: prober,
                at: first.moment,
                kind: flags.isEmpty ? .null : flags.contains([.fin, .psh, .urg]) ? .xmas : .fin,
                answer: e.reset?.sender == prober.peer ? .reset : .none
            )
            return
        }
        if let syn = e.firstSYN, !e.simultaneousOpen, e.handshakeACK == nil, e.inferredSYNACK == nil {
            let client = g[g.client]
            let retries = UInt32(e.synRetransmissions.count)
            let resetBack: UInt32 = e.reset?.sender == g.client ? 1 : 0
            guard client.payloadBytes == 0, client.packets <= 1 + retries + resetBack, g[g.server].payloadBytes == 0
            else { return nil }
            self.init(
                g,
                prober: g.client,
                at: syn,
                kind: .syn,
                answer: e.firstSYNACK != nil ? .synACK : e.reset?.sender == g.server ? .reset : .none
            )
            retried = retries > 0
            return
        }
        // A lone bare ACK from an endpoint first seen midstream, answered by a RST only.
        guard g.rolesInferred, e.firstSYN == nil, e.firstSYNACK == nil, let reset = e.reset,
            g[reset.sender].packets == 1, g[reset.sender.peer].packets == 1, g[reset.sender.peer].payloadBytes == 0
        else { return nil }
        self.init(
            g,
            prober: reset.sender.peer,
            at: Moment(frame: g.firstFrame, time: g.firstSeen, states: reset.moment.states),
            kind: .ack,
            answer: .reset
        )
    }

    private init(_ g: ConnectionGeneration, prober: Side, at moment: Moment, kind: Kind, answer: Answer) {
        source = g.key.endpoint(prober).address
        target = g.key.endpoint(prober.peer)
        time = moment.time
        frame = moment.frame
        self.kind = kind
        self.answer = answer
    }

    /// A half-open attempt, as a flood is made of: a SYN that got a SYN-ACK and never completed,
    /// or a lone SYN that got nothing. An unanswered SYN its sender retried comes from a real
    /// client (a flood tool sends each SYN once) and keeps its own `syn-unanswered`.
    var isHalfOpen: Bool { kind == .syn && (answer == .synACK || answer == .none && !retried) }
}
