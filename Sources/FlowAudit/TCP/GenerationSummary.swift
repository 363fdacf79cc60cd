/// What is kept of a generation once a newer one has replaced it on the same 4-tuple: enough to
/// judge reuse and stale segments for 2MSL (RFC 9293 §3.4.1, "Knowing When to Keep Quiet"), and
/// nothing more.
public struct GenerationSummary: Sendable {
    public var number: UInt32
    public var client: Side
    public var finalStates: StatePair
    /// When the generation ended (close, RST, or the moment the new SYN replaced it).
    public var endedAt: Timestamp
    /// When its TIME-WAIT endpoint entered (or last restarted) TIME-WAIT, if one did.
    public var timeWaitSince: Timestamp?
    public var timeWaitSide: Side?
    public var initialSequence: (a: SequenceNumber?, b: SequenceNumber?)
    public var nextSequence: (a: SequenceNumber?, b: SequenceNumber?)
    public var usedTimestamps: Bool
    /// Each side's FIN sequence number, and which side closed passively (sent the second FIN).
    public var finSequence: (a: SequenceNumber?, b: SequenceNumber?)
    public var passiveCloser: Side?
    /// Frames a late finding cites: the active and passive closers' FINs and the final ACK.
    public var activeFINFrame: UInt64?
    public var passiveFINFrame: UInt64?
    public var finalACKFrame: UInt64?
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    public var firstFrame: UInt64
    public var lastFrame: UInt64
    public var rolesInferred: Bool
    /// Late findings already reported against this summary (one of each kind at most).
    public var reportedLateLostFinalACK = false
    public var reportedLateStaleSegment = false

    init(_ generation: ConnectionGeneration, endedAt: Timestamp) {
        number = generation.number
        client = generation.client
        finalStates = generation.states
        self.endedAt = endedAt
        timeWaitSide = generation.timeWaitSide
        timeWaitSince = timeWaitSide.map { generation[$0].stateSince }
        initialSequence = (generation.a.initialSequence, generation.b.initialSequence)
        nextSequence = (generation.a.nextSequence, generation.b.nextSequence)
        usedTimestamps = generation.a.lastTimestamp != nil && generation.b.lastTimestamp != nil
        finSequence = (generation.a.finSequence, generation.b.finSequence)
        let fins = generation.evidence.firstFIN
        if let finA = fins.a, let finB = fins.b {
            passiveCloser = finA.frame < finB.frame ? .b : .a
            activeFINFrame = min(finA.frame, finB.frame)
            passiveFINFrame = max(finA.frame, finB.frame)
        }
        finalACKFrame = generation.evidence.finalACK?.frame
        firstSeen = generation.firstSeen
        lastSeen = generation.lastSeen
        firstFrame = generation.firstFrame
        lastFrame = generation.lastFrame
        rolesInferred = generation.rolesInferred
    }

    func finSequence(of side: Side) -> SequenceNumber? { side == .a ? finSequence.a : finSequence.b }

    func initialSequence(of side: Side) -> SequenceNumber? { side == .a ? initialSequence.a : initialSequence.b }
    func nextSequence(of side: Side) -> SequenceNumber? { side == .a ? nextSequence.a : nextSequence.b }

    /// True if `sequence` lies in the sequence space `side` used in this generation.
    func contains(_ sequence: SequenceNumber, sentBy side: Side) -> Bool {
        guard let start = initialSequence(of: side), let end = nextSequence(of: side) else { return false }
        return sequence.isWithin(start, length: UInt32(bitPattern: end.distance(from: start)) &+ 1)
    }
}
