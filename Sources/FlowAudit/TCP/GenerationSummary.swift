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
    public var lastTimestamp: (a: UInt32?, b: UInt32?)
    public var usedTimestamps: Bool

    init(_ generation: ConnectionGeneration, endedAt: Timestamp) {
        number = generation.number
        client = generation.client
        finalStates = generation.states
        self.endedAt = endedAt
        timeWaitSide = generation.timeWaitSide
        timeWaitSince = timeWaitSide.map { generation[$0].stateSince }
        initialSequence = (generation.a.initialSequence, generation.b.initialSequence)
        nextSequence = (generation.a.nextSequence, generation.b.nextSequence)
        lastTimestamp = (generation.a.lastTimestamp, generation.b.lastTimestamp)
        usedTimestamps = generation.a.lastTimestamp != nil && generation.b.lastTimestamp != nil
    }

    func initialSequence(of side: Side) -> SequenceNumber? { side == .a ? initialSequence.a : initialSequence.b }
    func nextSequence(of side: Side) -> SequenceNumber? { side == .a ? nextSequence.a : nextSequence.b }

    /// True if `sequence` lies in the sequence space `side` used in this generation.
    func contains(_ sequence: SequenceNumber, sentBy side: Side) -> Bool {
        guard let start = initialSequence(of: side), let end = nextSequence(of: side) else { return false }
        return sequence.isWithin(start, length: UInt32(bitPattern: end.distance(from: start)) &+ 1)
    }
}
