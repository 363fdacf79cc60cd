/// The verdict on one finished connection generation: who was who, how it ended, what went wrong.
public struct GenerationReport: Sendable {
    /// The flow's position in first-seen order (0-based); reports sort by it, then by generation.
    public var flowOrdinal: UInt64
    public var key: FlowKey
    public var generation: UInt32
    public var client: Endpoint
    public var server: Endpoint
    /// True when the handshake was not seen and roles were guessed from the ports.
    public var rolesInferred: Bool
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    public var firstFrame: UInt64
    public var lastFrame: UInt64
    public var packets: UInt64
    public var payloadBytes: UInt64
    public var clientState: TCPState
    public var serverState: TCPState
    public var reason: FinishReason
    /// Where the capture point sat, from the handshake timing.
    public var vantage: Vantage
    /// Nanoseconds each endpoint spent in each state it visited, in state order.
    public var clientStateTimes: StateTimes
    public var serverStateTimes: StateTimes
    public var findings: [Finding]
    /// Set when the generation is one probe of a scan or one attempt of a flood (`Probe`).
    public var probe: Probe?
    /// True for findings decided after the generation was judged and summarised (within 2MSL of
    /// its close): the report carries the generation's counts but not its time in each state.
    public var isLate = false
    /// Zeek's view (docs/conn-log.md): `conn_state`, `history`, and per role the payload bytes by
    /// sequence number and the packets. Nil in a late report (a summary keeps none of it).
    public var connection: ConnectionLogFields?

    init(_ g: ConnectionGeneration, flowOrdinal: UInt64, reason: FinishReason, now: Timestamp, findings: [Finding]) {
        self.flowOrdinal = flowOrdinal
        key = g.key
        generation = g.number
        client = g.key.endpoint(g.client)
        server = g.key.endpoint(g.server)
        rolesInferred = g.rolesInferred
        firstSeen = g.firstSeen
        lastSeen = g.lastSeen
        firstFrame = g.firstFrame
        lastFrame = g.lastFrame
        packets = UInt64(g.a.packets) + UInt64(g.b.packets)
        payloadBytes = g.a.payloadBytes + g.b.payloadBytes
        clientState = g.state(of: g.client)
        serverState = g.state(of: g.server)
        self.reason = reason
        vantage = Vantage(g)
        // An endpoint that ended CLOSED is not charged the time from its close to the judgement:
        // that is only how long the tool waited (the grace period, the rest of a file, the wall
        // clock of a live capture), so file and live reports of one connection agree.
        func times(_ side: Side) -> StateTimes {
            var times = StateTimes()
            let current = g.state(of: side)
            for state in TCPState.allCases {
                let until = state == .closed && current == .closed ? g[side].stateSince : now
                let spent = g.timeIn(side, state, until: until)
                if spent > 0 || current == state { times.record(state, spent) }
            }
            return times
        }
        clientStateTimes = times(g.client)
        serverStateTimes = times(g.server)
        self.findings = findings
        connection = ConnectionLogFields(g)
    }

    /// A report of findings decided after the generation was judged, against its summary.
    init(late summary: GenerationSummary, key: FlowKey, flowOrdinal: UInt64, findings: [Finding]) {
        self.flowOrdinal = flowOrdinal
        self.key = key
        generation = summary.number
        client = key.endpoint(summary.client)
        server = key.endpoint(summary.client.peer)
        rolesInferred = summary.rolesInferred
        firstSeen = summary.firstSeen
        lastSeen = findings.map(\.lastTime).max() ?? summary.endedAt
        firstFrame = summary.firstFrame
        lastFrame = findings.flatMap(\.frames).max() ?? summary.firstFrame
        packets = summary.packets
        payloadBytes = summary.payloadBytes
        clientState = summary.finalStates[summary.client]
        serverState = summary.finalStates[summary.client.peer]
        reason = .closed
        vantage = summary.vantage
        // The time in each state is not kept once a generation is summarised.
        clientStateTimes = StateTimes()
        serverStateTimes = StateTimes()
        isLate = true
        self.findings = findings
    }

    /// `FLOW.GENERATION` as the text report numbers them: the conn.log's `uid`, `ladder`'s argument.
    public var uid: String { "\(flowOrdinal + 1).\(generation)" }

    /// Folds the findings of a later report of the same generation into this one.
    public mutating func merge(_ later: GenerationReport) {
        findings += later.findings
        lastSeen = max(lastSeen, later.lastSeen)
        lastFrame = max(lastFrame, later.lastFrame)
    }
}
