/// One incarnation of a 4-tuple: from its first SYN (or first segment, midstream) to its close.
///
/// Every segment advances the inferred RFC 9293 state of both endpoints (`ConnectionReplay`
/// holds the transition rules) and records evidence for the classifiers. The observer assumes a
/// segment it saw was delivered, until a retransmission says otherwise (docs/domain.md §1).
public struct ConnectionGeneration: Sendable {
    // Stored hot first: what every packet reads or writes comes in the first three cache lines
    // (key, views, last frame and time, predecessor); evidence and state times follow.
    public let key: FlowKey
    /// 1 for the first connection seen on a 4-tuple, then 2, 3 … as the 4-tuple is reused.
    public let number: UInt32
    /// The endpoint that sent the first SYN; for a flow first seen midstream, the endpoint on the
    /// higher port (ephemeral ports are higher than service ports), and `rolesInferred` is true.
    public internal(set) var client: Side
    public internal(set) var rolesInferred: Bool
    /// True if any segment of this generation was cut by the snaplen.
    public internal(set) var sawSnaplenCut = false
    /// `ConnectionHistory.quietBits(of:)` of both sides so far, kept among the fields
    /// every packet reads: a plain ACK or data segment that would change no history letter or
    /// Zeek state skips the history (and its cache line) altogether.
    var historyQuiet: UInt8 = 0
    public internal(set) var lastSeen: Timestamp
    public internal(set) var lastFrame: UInt64
    /// What the previous generation left behind when this one started, if it was still within 2MSL.
    /// Boxed: few generations have one, and every generation would otherwise carry its space.
    private let predecessorBox: PredecessorBox?
    public var predecessor: GenerationSummary? { predecessorBox?.summary }
    /// Whether a previous generation is known, without copying its summary.
    var hasPredecessor: Bool { predecessorBox != nil }
    public internal(set) var a: EndpointView
    public internal(set) var b: EndpointView
    public internal(set) var firstSeen: Timestamp
    public internal(set) var firstFrame: UInt64
    public internal(set) var evidence = GenerationEvidence()
    /// Zeek's view of the generation, for the connection log (`conn_state`, `history`).
    var history: ConnectionHistory
    /// The previous segment (either side's; the side is part of `rest`), to tell a packet
    /// captured twice: the copies of one packet are next to each other in a flow. `numbers` holds
    /// its sequence and acknowledgment numbers, `rest` a fingerprint of the other header fields.
    var previousSegment: (numbers: UInt64, rest: UInt64) = (0, 0)
    /// The IPv4 ID of each side's SYN (0 when none, or IPv6), to tell a copy from a retransmission.
    var synIPIDs: (a: UInt16, b: UInt16) = (0, 0)
    /// Each side's first TTL / hop limit, to compare a suspicious segment's with.
    public internal(set) var hopLimits: (a: UInt8, b: UInt8) = (0, 0)
    /// Nanoseconds each endpoint spent in each state, at `Side.rawValue * 12 + TCPState.rawValue`;
    /// the current state's time is added when it is left. Kept here rather than in `EndpointView`
    /// so a view stays small enough to copy cheaply.
    private var nanosecondsInState = InlineArray<24, Int64>(repeating: 0)

    public var server: Side { client.peer }

    init(key: FlowKey, number: UInt32, first seen: ObservedSegment, predecessor: GenerationSummary?) {
        let segment = seen.segment, sender = seen.sender, time = seen.time
        self.key = key
        self.number = number
        predecessorBox = predecessor.map(PredecessorBox.init)
        let control = segment.flags.control
        let isHandshakeStart = control == .syn
        let initial: TCPState = isHandshakeStart ? .closed : .unknown
        a = EndpointView(state: initial, at: time)
        b = a
        if isHandshakeStart {
            client = sender
            rolesInferred = false
        } else if control == .synACK {
            // A SYN-ACK first: its sender is the server.
            client = sender.peer
            rolesInferred = false
        } else {
            client = segment.source.port >= segment.destination.port ? sender : sender.peer
            rolesInferred = true
        }
        history = ConnectionHistory(firstSender: sender)
        firstSeen = time
        lastSeen = time
        firstFrame = seen.frame
        lastFrame = seen.frame
    }

    /// One endpoint's view. (A `_read` accessor was measured slower: it copies the view anyway.)
    public subscript(side: Side) -> EndpointView {
        @inline(__always) get { side == .a ? a : b }
        @inline(__always) _modify {
            if side == .a { yield &a } else { yield &b }
        }
    }

    /// Changes one endpoint's view in place; on the per-packet path this inlines to a plain
    /// access, where `self[side]`'s modify accessor costs a coroutine call per field written.
    @inline(__always)
    mutating func update<Result>(_ side: Side, _ change: (inout EndpointView) -> Result) -> Result {
        side == .a ? change(&a) : change(&b)
    }

    /// The peer's SYN-ACK, captured before this SYN, acknowledges it (capture order inverted).
    @inline(__always)
    func isAnsweredByPeersSYNACK(_ segment: TCPSegment, from sender: Side) -> Bool {
        guard client == sender, evidence.firstSYNACK != nil,
            let acked = read(sender.peer, { $0.highestAcknowledgment })
        else { return false }
        return acked == segment.sequence + 1 || acked == segment.sequenceEnd
    }

    /// Reads one endpoint's view in place: the subscript's getter copies all 64 bytes of it,
    /// which the per-packet path cannot afford.
    @inline(__always)
    func read<Value>(_ side: Side, _ field: (borrowing EndpointView) -> Value) -> Value {
        side == .a ? field(a) : field(b)
    }

    /// `side`'s state, read without copying its whole view (as `self[side].state` does).
    @inline(__always)
    public func state(of side: Side) -> TCPState { side == .a ? a.state : b.state }

    /// Moves `side` to `next` at `time`, charging the time since its last change to the state it leaves.
    mutating func enter(_ side: Side, _ next: TCPState, at time: Timestamp) {
        guard next != state(of: side) else { return }
        restartStateClock(side, at: time)
        update(side) { $0.state = next }
    }

    /// Charges the time in the current state so far and restarts its clock (TIME-WAIT restarts its
    /// 2MSL timer when it re-ACKs a retransmitted FIN, RFC 9293 §3.10.7.4).
    mutating func restartStateClock(_ side: Side, at time: Timestamp) {
        let since = side == .a ? a.stateSince : b.stateSince
        nanosecondsInState[Int(side.rawValue) * 12 + Int(state(of: side).rawValue)] &+= max(0, time.since(since))
        update(side) { $0.stateSince = time }
    }

    /// Time `side` spent in `state`, counting the current state up to `now`.
    public func timeIn(_ side: Side, _ state: TCPState, until now: Timestamp) -> Int64 {
        let past = nanosecondsInState[Int(side.rawValue) * 12 + Int(state.rawValue)]
        guard self.state(of: side) == state else { return past }
        return past &+ max(0, now.since(side == .a ? a.stateSince : b.stateSince))
    }

    /// Only SYNs from the client so far and nothing at all from the server: a connection attempt
    /// still waiting for an answer.
    var isUnansweredAttempt: Bool {
        evidence.firstSYN != nil && evidence.firstSYNACK == nil && evidence.inferredSYNACK == nil
            && !evidence.simultaneousOpen
            && evidence.reset == nil && (server == .a ? a.packets : b.packets) == 0
    }

    /// Only the client's direction was captured, yet its ACKs prove the server answered
    /// (docs/domain.md §6): findings that need the server's direction are left out.
    public var isOneSided: Bool {
        evidence.inferredSYNACK != nil && (server == .a ? a.packets : b.packets) == 0
    }

    /// How long an unanswered attempt's client must stay silent to count as having given up:
    /// `attemptTimeout`, or three times the longest gap between its SYNs if that is longer.
    func abandonmentWait(_ configuration: AuditConfiguration) -> Int64 {
        var longest: Int64 = 0
        var previous = evidence.firstSYN?.time
        for retry in evidence.synRetransmissions {
            if let previous { longest = max(longest, retry.time.since(previous)) }
            previous = retry.time
        }
        return max(configuration.attemptTimeout, longest.saturatingMultiply(3))
    }

    @inline(__always)
    public var states: StatePair { StatePair(a: a.state, b: b.state) }

    /// Zeek's `conn_state` for the generation as seen so far, given its `connHistory`.
    func connState(history rendered: String) -> ConnState {
        ConnState(
            originator: history.states[client],
            responder: history.states[server],
            bytes: (sequenceBytes(client), sequenceBytes(server)),
            history: rendered
        )
    }

    /// Zeek's `history` string: the originator's letters in upper case.
    public var connHistory: String { history.rendered(originator: client) }

    /// Payload bytes `side` sent, from its sequence numbers as Zeek's conn.log counts them (each
    /// byte once however often it was retransmitted; SYN and FIN take no byte); the payload it
    /// sent when its first sequence number is unknown.
    public func sequenceBytes(_ side: Side) -> UInt64 {
        let view = self[side]
        guard let first = view.initialSequence, let next = view.nextSequence else { return view.payloadBytes }
        let span = UInt64(UInt32(bitPattern: next.distance(from: first)))
        let controls: UInt64 = 1 + (view.finSequence != nil ? 1 : 0)
        return span >= controls ? span - controls : 0
    }

    /// True once neither endpoint holds the connection any more (both CLOSED, or one in TIME-WAIT
    /// and the other CLOSED): from here on only TIME-WAIT's 2MSL and stale segments remain.
    @inline(__always)
    public var isClosed: Bool {
        (a.state == .closed || a.state == .timeWait) && (b.state == .closed || b.state == .timeWait)
            && (a.state == .closed || b.state == .closed || a.state == b.state)
    }

    /// The moment the generation closed, and so the start of the 2MSL it is kept for afterwards.
    @inline(__always)
    public var closedSince: Timestamp? {
        guard isClosed else { return nil }
        return max(a.stateSince, b.stateSince)
    }

    /// When a closed generation last did something that may still revise its close: the close,
    /// or the last segment that the RST's receiver kept sending after it (the RST may never have
    /// reached it, `RSTIgnored`). Its grace period runs from here.
    public var settlingSince: Timestamp? {
        guard let closed = closedSince else { return nil }
        guard let stray = evidence.strayAfterReset.last else { return closed }
        return max(closed, stray.moment.time)
    }

    /// The endpoint in TIME-WAIT, if any.
    @inline(__always)
    public var timeWaitSide: Side? {
        a.state == .timeWait ? .a : b.state == .timeWait ? .b : nil
    }
}

/// Holds a predecessor's summary out of line.
final class PredecessorBox: Sendable {
    let summary: GenerationSummary
    init(_ summary: GenerationSummary) { self.summary = summary }
}
