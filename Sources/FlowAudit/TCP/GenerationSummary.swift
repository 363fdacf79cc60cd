/// What is kept of a generation once it was judged (for 2MSL after its close) or replaced by a
/// newer one on the same 4-tuple: enough to judge reuse, stale segments and late FIN
/// retransmissions (RFC 9293 §3.4.1, "Knowing When to Keep Quiet"), and nothing more.
///
/// Packed into 88 bytes (flags in one word, absent sequence numbers as bits, the cited frames as
/// 32-bit offsets from the first frame, TIME-WAIT's start as microseconds before the end): a busy
/// server's capture keeps a million of these within 2MSL. It also keeps what a late finding's
/// report header shows of the generation (packets, payload bytes, vantage).
public struct GenerationSummary: Sendable {
    /// When the generation ended (close, RST, or the moment the new SYN replaced it).
    public let endedAt: Timestamp
    public let firstSeen: Timestamp
    public let firstFrame: UInt64
    /// Payload bytes both sides sent.
    public let payloadBytes: UInt64
    /// ISN, SND.NXT and FIN of side a, then of side b.
    private let sequences: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    /// The active and passive closers' FINs and the final ACK, as frame − `firstFrame` + 1 (0: none,
    /// or more than 2³² frames later, when a late finding then cites fewer frames).
    private let activeFIN: UInt32, passiveFIN: UInt32, finalACK: UInt32
    public let number: UInt32
    /// Packets both sides sent (saturating at 2³² − 1).
    private let packetCount: UInt32
    /// Microseconds from TIME-WAIT's (last) start to `endedAt`, saturating after 71 minutes.
    private let timeWaitLead: UInt32
    private var flags: UInt16
    private let finalA: TCPState, finalB: TCPState
    /// Which of `sequences` are present, one bit each.
    private let present: UInt8
    /// Where the capture point sat (`Vantage`'s position in `allCases`).
    private let vantageIndex: UInt8

    private static let clientIsB: UInt16 = 1, hasTimeWait: UInt16 = 2, timeWaitIsB: UInt16 = 4
    private static let hasPassiveCloser: UInt16 = 8, passiveCloserIsB: UInt16 = 16, timestamps: UInt16 = 32
    private static let inferred: UInt16 = 64, lateLostFinalACK: UInt16 = 128, lateStaleSegment: UInt16 = 256

    init(_ generation: ConnectionGeneration, endedAt: Timestamp) {
        number = generation.number
        packetCount = UInt32(clamping: UInt64(generation.a.packets) + UInt64(generation.b.packets))
        payloadBytes = generation.a.payloadBytes &+ generation.b.payloadBytes
        vantageIndex = UInt8(Vantage.allCases.firstIndex(of: Vantage(generation)) ?? 0)
        var flags: UInt16 = generation.client == .b ? Self.clientIsB : 0
        let timeWaitSide = generation.timeWaitSide
        if let timeWaitSide { flags |= Self.hasTimeWait | (timeWaitSide == .b ? Self.timeWaitIsB : 0) }
        let timeWaitStart = timeWaitSide.map { generation[$0].stateSince } ?? endedAt
        timeWaitLead = UInt32(clamping: max(0, endedAt.since(timeWaitStart)) / 1000)
        if generation.a.lastTimestamp != nil && generation.b.lastTimestamp != nil { flags |= Self.timestamps }
        if generation.rolesInferred { flags |= Self.inferred }
        finalA = generation.a.state
        finalB = generation.b.state
        self.endedAt = endedAt
        var present: UInt8 = 0
        func value(_ sequence: SequenceNumber?, _ index: Int) -> UInt32 {
            guard let sequence else { return 0 }
            present |= 1 << index
            return sequence.rawValue
        }
        sequences = (
            value(generation.a.initialSequence, 0), value(generation.a.nextSequence, 1),
            value(generation.a.finSequence, 2),
            value(generation.b.initialSequence, 3), value(generation.b.nextSequence, 4),
            value(generation.b.finSequence, 5)
        )
        self.present = present
        let fins = generation.evidence.firstFIN
        if let finA = fins.a, let finB = fins.b {
            flags |= Self.hasPassiveCloser | (finA.frame < finB.frame ? Self.passiveCloserIsB : 0)
            activeFIN = Self.offset(min(finA.frame, finB.frame), from: generation.firstFrame)
            passiveFIN = Self.offset(max(finA.frame, finB.frame), from: generation.firstFrame)
        } else {
            activeFIN = 0
            passiveFIN = 0
        }
        finalACK = generation.evidence.finalACK.map { Self.offset($0.frame, from: generation.firstFrame) } ?? 0
        firstSeen = generation.firstSeen
        firstFrame = generation.firstFrame
        self.flags = flags
    }

    public var client: Side { flags & Self.clientIsB != 0 ? .b : .a }
    /// Packets both sides sent.
    public var packets: UInt64 { UInt64(packetCount) }
    /// Where the capture point sat, from the handshake timing.
    public var vantage: Vantage { Vantage.allCases[Int(vantageIndex)] }
    public var rolesInferred: Bool { flags & Self.inferred != 0 }
    public var finalStates: StatePair { StatePair(a: finalA, b: finalB) }
    /// The endpoint left in TIME-WAIT, if one was, and when it entered (or last restarted) it.
    public var timeWaitSide: Side? { flags & Self.hasTimeWait == 0 ? nil : flags & Self.timeWaitIsB != 0 ? .b : .a }
    public var timeWaitSince: Timestamp? {
        flags & Self.hasTimeWait == 0 ? nil : endedAt + -Int64(timeWaitLead) * 1000
    }
    /// Both endpoints sent TCP timestamps.
    public var usedTimestamps: Bool { flags & Self.timestamps != 0 }
    /// The side that sent the second FIN, when both sent one.
    public var passiveCloser: Side? {
        flags & Self.hasPassiveCloser == 0 ? nil : flags & Self.passiveCloserIsB != 0 ? .b : .a
    }
    /// Frames a late finding cites: the active and passive closers' FINs and the final ACK.
    public var activeFINFrame: UInt64? { frame(activeFIN) }
    public var passiveFINFrame: UInt64? { frame(passiveFIN) }
    public var finalACKFrame: UInt64? { frame(finalACK) }

    private static func offset(_ frame: UInt64, from first: UInt64) -> UInt32 {
        guard frame >= first, frame - first < UInt64(UInt32.max) else { return 0 }
        return UInt32(frame - first) + 1
    }

    private func frame(_ offset: UInt32) -> UInt64? { offset == 0 ? nil : firstFrame + UInt64(offset) - 1 }

    /// Late findings already reported against this summary (one of each kind at most).
    public var reportedLateLostFinalACK: Bool {
        get { flags & Self.lateLostFinalACK != 0 }
        set { flags = newValue ? flags | Self.lateLostFinalACK : flags & ~Self.lateLostFinalACK }
    }
    public var reportedLateStaleSegment: Bool {
        get { flags & Self.lateStaleSegment != 0 }
        set { flags = newValue ? flags | Self.lateStaleSegment : flags & ~Self.lateStaleSegment }
    }

    private func sequence(_ index: Int) -> SequenceNumber? {
        guard present & 1 << index != 0 else { return nil }
        let value =
            switch index {
            case 0: sequences.0
            case 1: sequences.1
            case 2: sequences.2
            case 3: sequences.3
            case 4: sequences.4
            default: sequences.5
            }
        return SequenceNumber(value)
    }

    func initialSequence(of side: Side) -> SequenceNumber? { sequence(side == .a ? 0 : 3) }
    func nextSequence(of side: Side) -> SequenceNumber? { sequence(side == .a ? 1 : 4) }
    func finSequence(of side: Side) -> SequenceNumber? { sequence(side == .a ? 2 : 5) }

    /// True if `sequence` lies in the sequence space `side` used in this generation.
    func contains(_ sequence: SequenceNumber, sentBy side: Side) -> Bool {
        guard let start = initialSequence(of: side), let end = nextSequence(of: side) else { return false }
        return sequence.isWithin(start, length: UInt32(bitPattern: end.distance(from: start)) &+ 1)
    }
}
